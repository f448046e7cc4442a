//! Fault injection for tests of the client's error paths (only with `--enable-faults`).
//!
//! Two layers cooperate: [`ResolveFaultsLayer`] sits outside tonic-web's `GrpcWebLayer`, works
//! out the faults of a call (flags + `x-fault` metadata), stores them in the request
//! extensions and splits gRPC-Web trailer frames; [`InjectFaultsLayer`] sits inside it, where
//! every call looks like native gRPC, and injects delays, statuses and broken streams. Hostile
//! answers (see [`hostile`]) are made in the outer layer, on the gRPC-Web bytes.
mod body;
pub mod hostile;
mod spec;

use std::{
    future::Future,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
};

use bytes::Bytes;
use http::{header, HeaderValue, Request, Response};
use http_body_util::StreamBody;
use tonic::{body::Body as TonicBody, Status};
use tower_layer::Layer;
use tower_service::Service;

pub use body::{BodyFault, FaultBody};
pub use hostile::{Hostile, HostileBody};
pub use spec::{FaultRule, FaultSpec, FaultSpecError, StatusStyle};

/// Metadata key a call names its faults with.
pub const FAULT_HEADER: &str = "x-fault";

/// Faults configured at startup.
#[derive(Debug, Clone, Default)]
pub struct FaultConfig {
    pub enabled: bool,
    pub rules: Vec<FaultRule>,
}

/// The faults of one call, or why its `x-fault` metadata does not parse.
#[derive(Debug, Clone)]
struct CallFaults(Result<FaultSpec, FaultSpecError>);

type BoxFuture<T, E> = Pin<Box<dyn Future<Output = Result<T, E>> + Send>>;

fn is_grpc<B>(request: &Request<B>) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/grpc"))
}

impl FaultConfig {
    fn resolve<B>(&self, request: &Request<B>) -> Option<CallFaults> {
        if !self.enabled || !is_grpc(request) {
            return None;
        }
        let mut spec = FaultSpec::default();
        for rule in self.rules.iter().filter(|rule| rule.matches(request.uri().path())) {
            spec.merge(&rule.spec);
        }
        if let Some(value) = request.headers().get(FAULT_HEADER) {
            let text = String::from_utf8_lossy(value.as_bytes());
            match FaultSpec::parse(&text) {
                Ok(from_header) => spec.merge(&from_header),
                Err(error) => return Some(CallFaults(Err(error))),
            }
        }
        (!spec.is_empty()).then_some(CallFaults(Ok(spec)))
    }
}

/// Outer layer: resolves the faults of each call; splits gRPC-Web trailer frames.
#[derive(Debug, Clone)]
pub struct ResolveFaultsLayer {
    config: Arc<FaultConfig>,
}

impl ResolveFaultsLayer {
    pub fn new(config: Arc<FaultConfig>) -> Self {
        Self { config }
    }
}

impl<S> Layer<S> for ResolveFaultsLayer {
    type Service = ResolveFaults<S>;
    fn layer(&self, inner: S) -> Self::Service {
        ResolveFaults { inner, config: self.config.clone() }
    }
}

#[derive(Debug, Clone)]
pub struct ResolveFaults<S> {
    inner: S,
    config: Arc<FaultConfig>,
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for ResolveFaults<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    ReqBody: Send + 'static,
    ResBody: http_body::Body<Data = Bytes> + Send + 'static,
    ResBody::Error: Into<crate::http::BoxError>,
{
    type Response = Response<TonicBody>;
    type Error = S::Error;
    type Future = BoxFuture<Self::Response, Self::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        let faults = self.config.resolve(&request);
        let split_trailer = matches!(&faults, Some(CallFaults(Ok(spec))) if spec.split_trailer);
        let hostile = match &faults {
            Some(CallFaults(Ok(spec))) => spec.hostile.clone(),
            _ => None,
        };
        if let Some(hostile) = &hostile {
            let bearer = request.headers().get(header::AUTHORIZATION).and_then(|value| value.to_str().ok());
            if let Some(response) = hostile.replacement(bearer) {
                return Box::pin(async move { Ok(response) });
            }
        }
        if let Some(faults) = faults {
            request.extensions_mut().insert(faults);
        }
        let future = self.inner.call(request);
        Box::pin(async move {
            let mut response = future.await?;
            let is_grpc_web =
                response.headers().get(header::CONTENT_TYPE).is_some_and(|value| value.as_bytes().starts_with(b"application/grpc-web"));
            if let (Some(hostile), true) = (hostile, is_grpc_web) {
                hostile.adjust_headers(response.headers_mut());
                return Ok(response.map(|body| TonicBody::new(HostileBody::new(body, hostile))));
            }
            Ok(if split_trailer && is_grpc_web {
                response.map(|body| TonicBody::new(FaultBody::new(body, BodyFault::SplitTrailer)))
            } else {
                response.map(TonicBody::new)
            })
        })
    }
}

/// Inner layer: injects the call's delay, status and stream faults.
#[derive(Debug, Clone, Default)]
pub struct InjectFaultsLayer;

impl<S> Layer<S> for InjectFaultsLayer {
    type Service = InjectFaults<S>;
    fn layer(&self, inner: S) -> Self::Service {
        InjectFaults { inner }
    }
}

#[derive(Debug, Clone)]
pub struct InjectFaults<S> {
    inner: S,
}

/// A response carrying `status`, shaped as asked.
fn status_response(status: Status, style: StatusStyle) -> Response<TonicBody> {
    match style {
        StatusStyle::TrailersOnly => status.into_http(),
        StatusStyle::Normal => {
            let mut trailers = http::HeaderMap::new();
            // The message is ours and plain ASCII, so encoding cannot fail.
            let _ = status.add_header(&mut trailers);
            // A body made of one trailers frame. (An empty body with trailers attached reports
            // end-of-stream at once, and tonic-web then sends no trailer frame at all.)
            let frames = futures_util::stream::once(async move { Ok::<_, Status>(http_body::Frame::<Bytes>::trailers(trailers)) });
            let body = StreamBody::new(frames);
            let mut response = Response::new(TonicBody::new(body));
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/grpc"));
            response
        }
    }
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for InjectFaults<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    ReqBody: Send + 'static,
    ResBody: http_body::Body<Data = Bytes> + Send + 'static,
    ResBody::Error: Into<crate::http::BoxError>,
{
    type Response = Response<TonicBody>;
    type Error = S::Error;
    type Future = BoxFuture<Self::Response, Self::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        let Some(CallFaults(faults)) = request.extensions().get::<CallFaults>().cloned() else {
            let future = self.inner.call(request);
            return Box::pin(async move { Ok(future.await?.map(TonicBody::new)) });
        };
        let spec = match faults {
            Ok(spec) => spec,
            Err(error) => {
                let status = Status::invalid_argument(format!("{FAULT_HEADER} metadata: {error}"));
                return Box::pin(async move { Ok(status.into_http()) });
            }
        };
        // The inner service was polled ready; keep that one and leave a fresh clone behind.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        Box::pin(async move {
            if let Some(delay) = spec.delay {
                tokio::time::sleep(delay).await;
            }
            if let Some((code, style)) = spec.status {
                let status = Status::new(code, format!("injected fault: status {code:?} ({style:?})"));
                return Ok(status_response(status, style));
            }
            let response = inner.call(request).await?;
            let body_fault = match (spec.cut_after, spec.idle_after) {
                (Some(limit), _) => Some(BodyFault::CutAfter(limit)),
                (None, Some(limit)) => Some(BodyFault::IdleAfter(limit)),
                (None, None) => None,
            };
            Ok(match body_fault {
                Some(fault) => response.map(|body| TonicBody::new(FaultBody::new(body, fault))),
                None => response.map(TonicBody::new),
            })
        })
    }
}
