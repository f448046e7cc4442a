//! Refuses requests a browser sends from a page of another origin unless that origin is in
//! `--cors-origin`. CORS alone only stops the page from reading the answer; this guard keeps
//! the call from happening at all. The gateway's own pages pass: those of its public origins
//! (`--public-origin`, by default its loopback address), decided from its configuration and
//! never from the request's `Host` header, which a DNS-rebinding page controls (its
//! `evil.example` resolves to 127.0.0.1, and it sends `Host` and `Origin` of evil.example).
//! Requests without an `Origin` header (native gRPC clients, curl, navigations) pass too: they
//! are not made by a browser on behalf of a foreign page.
//!
//! A refused gRPC or gRPC-Web call gets a trailers-only PERMISSION_DENIED; anything else (CORS
//! preflights, static files) gets HTTP 403.
use std::{
    future::Future,
    net::SocketAddr,
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

use super::{
    cors::{parse_origins_of, InvalidOrigin},
    refusal, BoxError,
};

/// The gateway's own origins: `configured` (`--public-origin`), or by default the origins a
/// browser on this machine uses for `bound` (the address actually bound, so port 0 works).
pub fn public_origins(configured: &[String], bound: SocketAddr) -> Result<Vec<HeaderValue>, InvalidOrigin> {
    if !configured.is_empty() {
        return parse_origins_of("--public-origin", configured);
    }
    let port = bound.port();
    let defaults = if bound.ip().is_loopback() || bound.ip().is_unspecified() {
        vec![format!("http://127.0.0.1:{port}"), format!("http://localhost:{port}"), format!("http://[::1]:{port}")]
    } else {
        vec![format!("http://{bound}")]
    };
    if !bound.ip().is_loopback() {
        tracing::warn!(
            "listening on {bound} without --public-origin: only pages of {} count as the gateway's own; add --public-origin with the address browsers use",
            defaults.join(", ")
        );
    }
    parse_origins_of("--public-origin", &defaults)
}

#[derive(Debug, Clone)]
pub struct OriginGuardLayer {
    allowed: Arc<[HeaderValue]>,
}

impl OriginGuardLayer {
    /// `cors`: the checked `--cors-origin` values; `public`: [`public_origins`].
    pub fn new(cors: &[HeaderValue], public: &[HeaderValue]) -> Self {
        Self { allowed: cors.iter().chain(public).cloned().collect() }
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

impl<B> OriginGuard<B> {
    /// The refusal for `request`, or None when it may pass.
    fn check<ReqBody>(&self, request: &Request<ReqBody>) -> Option<Response<TonicBody>> {
        let origin = request.headers().get(header::ORIGIN)?;
        let text = origin.to_str().unwrap_or("");
        let lower = text.to_ascii_lowercase();
        if self.allowed.iter().any(|allowed| allowed.as_bytes() == lower.as_bytes()) {
            return None;
        }
        tracing::info!("refused a request from origin {text:?} to {} (not in --public-origin or --cors-origin)", request.uri().path());
        let content_type = request.headers().get(header::CONTENT_TYPE).filter(|value| value.as_bytes().starts_with(b"application/grpc"));
        Some(match content_type {
            Some(content_type) => {
                let status = Status::permission_denied(format!(
                    "pages from origin {text} may not call this gateway (it allows its --public-origin and --cors-origin)"
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

    fn guard(cors: &[&str]) -> OriginGuard<()> {
        let cors: Vec<String> = cors.iter().map(|origin| origin.to_string()).collect();
        let public = public_origins(&["https://gw.example".into(), "http://gw:8080".into()], "0.0.0.0:8080".parse().unwrap()).unwrap();
        let layer = OriginGuardLayer::new(&parse_origins_of("--cors-origin", &cors).unwrap(), &public);
        OriginGuard { inner: (), allowed: layer.allowed }
    }

    fn request(origin: Option<&str>, host: &str, content_type: &str) -> Request<()> {
        let mut builder = Request::post("/xai_api.Models/ListModels").header("host", host).header("content-type", content_type);
        if let Some(origin) = origin {
            builder = builder.header("origin", origin);
        }
        builder.body(()).unwrap()
    }

    #[test]
    fn public_listed_and_originless_requests_pass() {
        let guard = guard(&["http://localhost:3000"]);
        // Behind a proxy the Host header may be anything: the public origin decides.
        assert!(guard.check(&request(Some("https://gw.example"), "127.0.0.1:8080", "application/grpc-web+proto")).is_none());
        assert!(guard.check(&request(None, "gw:8080", "application/grpc")).is_none());
        assert!(guard.check(&request(Some("http://gw:8080"), "gw:8080", "application/grpc-web+proto")).is_none());
        assert!(guard.check(&request(Some("https://GW.example"), "gw.example", "application/grpc-web+proto")).is_none());
        assert!(guard.check(&request(Some("http://localhost:3000"), "gw:8080", "application/grpc-web+proto")).is_none());
    }

    #[test]
    fn the_host_header_does_not_make_an_origin_the_gateways_own() {
        let guard = guard(&[]);
        for (origin, host) in [
            ("http://evil.example:8090", "evil.example:8090"),
            ("http://gw:8081", "gw:8081"),
            ("https://gw.example:8443", "gw.example:8443"),
        ] {
            let refused = guard.check(&request(Some(origin), host, "application/grpc-web+proto")).expect(origin);
            assert_eq!(refused.headers()["grpc-status"], "7");
        }
    }

    #[test]
    fn default_public_origins_follow_the_bound_address() {
        let loopback = public_origins(&[], "127.0.0.1:41234".parse().unwrap()).unwrap();
        assert_eq!(loopback, ["http://127.0.0.1:41234", "http://localhost:41234", "http://[::1]:41234"]);
        assert_eq!(public_origins(&[], "192.0.2.10:8080".parse().unwrap()).unwrap(), ["http://192.0.2.10:8080"]);
        assert_eq!(
            public_origins(&["https://Chat.Example:443/".into()], "127.0.0.1:1".parse().unwrap()).unwrap(),
            ["https://chat.example"]
        );
        assert!(public_origins(&["chat.example".into()], "127.0.0.1:1".parse().unwrap())
            .unwrap_err()
            .to_string()
            .contains("--public-origin"));
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
