//! Attaches the server-held key to gRPC calls that carry no `authorization` metadata, so the
//! browser needs no key of its own. A call that carries any authorization header keeps it: a
//! wrong typed key must fail, not fall back to the server's.
use std::{
    fmt,
    sync::Arc,
    task::{Context, Poll},
};

use http::{header, HeaderValue, Request};
use tower_layer::Layer;
use tower_service::Service;

/// The `Bearer <key>` header value, kept out of Debug output.
#[derive(Clone)]
pub struct ServerKeyLayer {
    header_value: Option<Arc<HeaderValue>>,
}

impl fmt::Debug for ServerKeyLayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerKeyLayer").field("attaches_key", &self.header_value.is_some()).finish()
    }
}

impl ServerKeyLayer {
    /// `None`: attach nothing (`--no-server-key`).
    pub fn new(server_key: Option<&str>) -> Result<Self, http::header::InvalidHeaderValue> {
        let header_value = match server_key {
            Some(key) => {
                let mut value = HeaderValue::from_str(&format!("Bearer {key}"))?;
                value.set_sensitive(true);
                Some(Arc::new(value))
            }
            None => None,
        };
        Ok(Self { header_value })
    }
}

impl<S> Layer<S> for ServerKeyLayer {
    type Service = AttachServerKey<S>;
    fn layer(&self, inner: S) -> Self::Service {
        AttachServerKey { inner, header_value: self.header_value.clone() }
    }
}

#[derive(Clone)]
pub struct AttachServerKey<S> {
    inner: S,
    header_value: Option<Arc<HeaderValue>>,
}

impl<S, B> Service<Request<B>> for AttachServerKey<S>
where
    S: Service<Request<B>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<B>) -> Self::Future {
        if let Some(value) = &self.header_value {
            if !request.headers().contains_key(header::AUTHORIZATION) {
                request.headers_mut().insert(header::AUTHORIZATION, HeaderValue::clone(value));
            }
        }
        self.inner.call(request)
    }
}
