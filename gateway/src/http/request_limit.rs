//! Caps the size of a request body (`--max-request-bytes`). The body is counted as it streams
//! in, so an oversized upload is refused after at most the limit has been read, whatever its
//! length header says; a declared length over the limit is refused at once. Sits inside
//! tonic-web, so for gRPC-Web text it counts the decoded bytes.
use std::{
    pin::Pin,
    task::{Context, Poll},
};

use bytes::Bytes;
use futures_util::future::{Either, Ready};
use http::{Request, Response};
use http_body::{Body, Frame};
use tonic::{body::Body as TonicBody, Status};
use tower_layer::Layer;
use tower_service::Service;

use super::{refusal, BoxError};

/// "16 MiB", "512 KiB", "100 bytes".
pub fn describe_bytes(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (size, unit) in UNITS {
        if bytes >= size && bytes % size == 0 {
            return format!("{} {unit}", bytes / size);
        }
    }
    format!("{bytes} bytes")
}

/// Parses `--max-request-bytes`: a number of bytes, optionally with a unit (K, KiB, M, MiB,
/// G, GiB; all binary).
pub fn parse_byte_size(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let split = trimmed.find(|c: char| !c.is_ascii_digit()).unwrap_or(trimmed.len());
    let (digits, unit) = trimmed.split_at(split);
    let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" | "kb" => 1 << 10,
        "m" | "mib" | "mb" => 1 << 20,
        "g" | "gib" | "gb" => 1 << 30,
        other => return Err(format!("unknown unit {other:?} in {text:?}: use e.g. 16MiB, 512KiB or 1048576")),
    };
    let number: u64 = digits.parse().map_err(|_| format!("{text:?} is not a size: use e.g. 16MiB, 512KiB or 1048576"))?;
    match number.checked_mul(multiplier) {
        Some(0) => Err("the request size limit must be above 0".to_string()),
        Some(bytes) => Ok(bytes),
        None => Err(format!("{text:?} is too large")),
    }
}

fn too_large(limit: u64) -> Status {
    Status::invalid_argument(format!(
        "request too large: this gateway accepts at most {} per request (--max-request-bytes)",
        describe_bytes(limit)
    ))
}

#[derive(Debug, Clone, Copy)]
pub struct RequestLimitLayer {
    limit: u64,
}

impl RequestLimitLayer {
    pub fn new(limit: u64) -> Self {
        Self { limit }
    }
}

impl<S> Layer<S> for RequestLimitLayer {
    type Service = RequestLimit<S>;
    fn layer(&self, inner: S) -> Self::Service {
        RequestLimit { inner, limit: self.limit }
    }
}

#[derive(Debug, Clone)]
pub struct RequestLimit<S> {
    inner: S,
    limit: u64,
}

impl<S, ReqBody> Service<Request<ReqBody>> for RequestLimit<S>
where
    S: Service<Request<axum::body::Body>, Response = Response<TonicBody>>,
    ReqBody: Body<Data = Bytes> + Send + 'static,
    ReqBody::Error: Into<BoxError>,
{
    type Response = Response<TonicBody>;
    type Error = S::Error;
    type Future = Either<S::Future, Ready<Result<Self::Response, Self::Error>>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        let declared = request.body().size_hint().lower();
        if declared > self.limit {
            return Either::Right(futures_util::future::ready(Ok(refusal(too_large(self.limit), None))));
        }
        let limit = self.limit;
        let request = request.map(|inner| axum::body::Body::new(LimitedBody { inner, remaining: limit, limit }));
        Either::Left(self.inner.call(request))
    }
}

pin_project_lite::pin_project! {
    /// Passes at most `limit` bytes, then fails with the INVALID_ARGUMENT status (which tonic
    /// answers the call with, as it finds the status in the error).
    struct LimitedBody<B> {
        #[pin]
        inner: B,
        remaining: u64,
        limit: u64,
    }
}

impl<B> Body for LimitedBody<B>
where
    B: Body<Data = Bytes>,
    B::Error: Into<BoxError>,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.project();
        match this.inner.poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    let length = data.len() as u64;
                    if length > *this.remaining {
                        *this.remaining = 0;
                        return Poll::Ready(Some(Err(too_large(*this.limit).into())));
                    }
                    *this.remaining -= length;
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(error))) => Poll::Ready(Some(Err(error.into()))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::{BodyExt as _, Full};

    #[test]
    fn sizes_parse_and_print() {
        assert_eq!(parse_byte_size("16MiB"), Ok(16 << 20));
        assert_eq!(parse_byte_size("512 KiB"), Ok(512 << 10));
        assert_eq!(parse_byte_size("1048576"), Ok(1 << 20));
        assert!(parse_byte_size("12XB").unwrap_err().contains("unknown unit"));
        assert!(parse_byte_size("0").is_err());
        assert!(parse_byte_size("lots").is_err());
        assert_eq!(describe_bytes(16 << 20), "16 MiB");
        assert_eq!(describe_bytes(1000), "1000 bytes");
    }

    #[tokio::test]
    async fn a_body_over_the_limit_fails_with_a_status() {
        let body = LimitedBody { inner: Full::new(Bytes::from(vec![0u8; 100])), remaining: 99, limit: 99 };
        let error = body.collect().await.unwrap_err();
        let status = Status::from_error(error);
        assert_eq!(status.code(), tonic::Code::InvalidArgument);
        assert!(status.message().contains("99 bytes"), "{}", status.message());
        let body = LimitedBody { inner: Full::new(Bytes::from(vec![0u8; 100])), remaining: 100, limit: 100 };
        assert_eq!(body.collect().await.unwrap().to_bytes().len(), 100);
    }
}
