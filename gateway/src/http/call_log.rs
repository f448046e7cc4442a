//! Logs every gRPC call once, when its outcome is known: method, gRPC status code, duration.
//! Sits inside tonic-web's layer, so gRPC-Web calls look like native gRPC here and the status
//! is either in the response headers (trailers-only) or in the trailers.
use std::{
    future::Future,
    pin::Pin,
    task::{ready, Context, Poll},
    time::Instant,
};

use bytes::Bytes;
use http::{HeaderMap, Request, Response};
use http_body::{Body, Frame};
use tonic::body::Body as TonicBody;
use tower_layer::Layer;
use tower_service::Service;

#[derive(Debug, Clone, Default)]
pub struct CallLogLayer;

impl<S> Layer<S> for CallLogLayer {
    type Service = CallLog<S>;
    fn layer(&self, inner: S) -> Self::Service {
        CallLog { inner }
    }
}

#[derive(Debug, Clone)]
pub struct CallLog<S> {
    inner: S,
}

/// One call's log line, written exactly once (at the latest when the body is dropped).
struct CallRecord {
    method: String,
    started: Instant,
    logged: bool,
}

impl CallRecord {
    fn log(&mut self, status: &str) {
        if !self.logged {
            self.logged = true;
            let millis = self.started.elapsed().as_secs_f64() * 1000.0;
            tracing::info!("call {} finished: status {status} in {millis:.1} ms", self.method);
        }
    }
}

impl Drop for CallRecord {
    fn drop(&mut self) {
        self.log("cancelled (client went away before the end)");
    }
}

fn status_of(headers: &HeaderMap) -> Option<String> {
    let code = headers.get("grpc-status")?.to_str().ok()?.parse::<i32>().ok()?;
    Some(format!("{code} {:?}", tonic::Code::from(code)))
}

impl<S, ReqBody> Service<Request<ReqBody>> for CallLog<S>
where
    S: Service<Request<ReqBody>, Response = Response<TonicBody>> + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response<TonicBody>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        let mut record =
            CallRecord { method: request.uri().path().trim_start_matches('/').to_string(), started: Instant::now(), logged: false };
        let future = self.inner.call(request);
        Box::pin(async move {
            let response = future.await?;
            if let Some(status) = status_of(response.headers()) {
                record.log(&status);
                return Ok(response);
            }
            Ok(response.map(|inner| TonicBody::new(LoggedBody { inner, record })))
        })
    }
}

pin_project_lite::pin_project! {
    struct LoggedBody {
        #[pin]
        inner: TonicBody,
        record: CallRecord,
    }
}

impl Body for LoggedBody {
    type Data = Bytes;
    type Error = tonic::Status;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.project();
        let polled = ready!(this.inner.poll_frame(cx));
        match &polled {
            Some(Ok(frame)) => {
                if let Some(trailers) = frame.trailers_ref() {
                    let status = status_of(trailers).unwrap_or_else(|| "missing".to_string());
                    this.record.log(&status);
                }
            }
            Some(Err(error)) => this.record.log(&format!("aborted ({})", error.message())),
            None => this.record.log("ended without trailers"),
        }
        Poll::Ready(polled)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}
