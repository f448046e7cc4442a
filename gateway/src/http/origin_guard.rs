//! Refuses requests a browser sends from a page of another origin unless that origin is in
//! `--cors-origin`. CORS alone only stops the page from reading the answer; this guard keeps
//! the call from happening at all. Same-origin pages (the app the gateway serves) always pass;
//! requests without an `Origin` header (native gRPC clients, curl, navigations) pass too: they
//! are not made by a browser on behalf of a foreign page.
//!
//! A refused gRPC or gRPC-Web call gets a trailers-only PERMISSION_DENIED; anything else (CORS
//! preflights, static files) gets HTTP 403.
use std::{
    future::Future,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
};

use bytes::Bytes;
use http::{header, HeaderValue, Request, Response, StatusCode};
use http_body_util::Full;
use tonic::{body::Body as TonicBody, Status};
use tower_layer::Layer;
use tower_service::Service;

use super::{refusal, BoxError};

#[derive(Debug, Clone)]
pub struct OriginGuardLayer {
    allowed: Arc<[HeaderValue]>,
}

impl OriginGuardLayer {
    /// `allowed`: the checked `--cors-origin` values.
    pub fn new(allowed: &[HeaderValue]) -> Self {
        Self { allowed: allowed.into() }
    }
}

impl<S> Layer<S> for OriginGuardLayer {
    type Service = OriginGuard<S>;
    fn layer(&self, inner: S) -> Self::Service {
        OriginGuard { inner, allowed: self.allowed.clone() }
    }
}

#[derive(Debug, Clone)]
pub struct OriginGuard<S> {
    inner: S,
    allowed: Arc<[HeaderValue]>,
}

/// Whether `origin` (`scheme://host[:port]`) names the host the request was sent to.
fn is_same_origin<B>(origin: &str, request: &Request<B>) -> bool {
    let Some((_, origin_authority)) = origin.split_once("://") else {
        return false;
    };
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
        .or_else(|| request.uri().authority().map(|authority| authority.as_str()));
    host.is_some_and(|host| host.eq_ignore_ascii_case(origin_authority))
}

impl<B> OriginGuard<B> {
    /// The refusal for `request`, or None when it may pass.
    fn check<ReqBody>(&self, request: &Request<ReqBody>) -> Option<Response<TonicBody>> {
        let origin = request.headers().get(header::ORIGIN)?;
        let text = origin.to_str().unwrap_or("");
        let lower = text.to_ascii_lowercase();
        if self.allowed.iter().any(|allowed| allowed.as_bytes() == lower.as_bytes()) || is_same_origin(&lower, request) {
            return None;
        }
        tracing::info!("refused a request from origin {text:?} to {} (not in --cors-origin)", request.uri().path());
        let content_type = request.headers().get(header::CONTENT_TYPE).filter(|value| value.as_bytes().starts_with(b"application/grpc"));
        Some(match content_type {
            Some(content_type) => {
                let status = Status::permission_denied(format!(
                    "pages from origin {text} may not call this gateway (it allows same-origin pages and --cors-origin)"
                ));
                let mut response = refusal(status, None);
                response.headers_mut().insert(header::CONTENT_TYPE, content_type.clone());
                response
            }
            None => {
                let mut response = Response::new(TonicBody::new(Full::new(Bytes::from(format!("origin {text} is not allowed\n")))));
                *response.status_mut() = StatusCode::FORBIDDEN;
                response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
                response
            }
        })
    }
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for OriginGuard<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    ResBody: http_body::Body<Data = Bytes> + Send + 'static,
    ResBody::Error: Into<BoxError>,
{
    type Response = Response<TonicBody>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        if let Some(refused) = self.check(&request) {
            return Box::pin(std::future::ready(Ok(refused)));
        }
        let future = self.inner.call(request);
        Box::pin(async move { Ok(future.await?.map(TonicBody::new)) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard(allowed: &[&str]) -> OriginGuard<()> {
        let allowed: Vec<HeaderValue> = allowed.iter().map(|origin| HeaderValue::from_str(origin).unwrap()).collect();
        OriginGuard { inner: (), allowed: allowed.into() }
    }

    fn request(origin: Option<&str>, host: &str, content_type: &str) -> Request<()> {
        let mut builder = Request::post("/xai_api.Models/ListModels").header("host", host).header("content-type", content_type);
        if let Some(origin) = origin {
            builder = builder.header("origin", origin);
        }
        builder.body(()).unwrap()
    }

    #[test]
    fn same_origin_listed_origins_and_originless_requests_pass() {
        let guard = guard(&["http://localhost:3000"]);
        assert!(guard.check(&request(None, "gw:8080", "application/grpc")).is_none());
        assert!(guard.check(&request(Some("http://gw:8080"), "gw:8080", "application/grpc-web+proto")).is_none());
        assert!(guard.check(&request(Some("https://GW.example"), "gw.example", "application/grpc-web+proto")).is_none());
        assert!(guard.check(&request(Some("http://localhost:3000"), "gw:8080", "application/grpc-web+proto")).is_none());
    }

    #[test]
    fn other_origins_are_refused() {
        let guard = guard(&["http://localhost:3000"]);
        let refused = guard.check(&request(Some("http://evil.example"), "gw:8080", "application/grpc-web+proto")).unwrap();
        assert_eq!(refused.headers()["grpc-status"], "7");
        assert_eq!(refused.headers()["content-type"], "application/grpc-web+proto");
        let refused = guard.check(&request(Some("http://localhost:3001"), "gw:8080", "text/plain")).unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        let refused = guard.check(&request(Some("null"), "gw:8080", "application/grpc")).unwrap();
        assert_eq!(refused.headers()["grpc-status"], "7");
    }
}
