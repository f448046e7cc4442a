//! HTTP-level plumbing around the gRPC services: CORS and the origin guard, static files (precompressed, cached) and
//! their security headers, the server-held key, call logging, fault injection, panics, silent
//! connections, and the limits of an exposed gateway (rate limit, concurrent calls per client
//! and in all, RPC allowlist, request size).

pub mod app_headers;
pub mod call_log;
pub mod catch_panic;
pub mod client;
pub mod connections;
pub mod cors;
pub mod faults;
pub mod origin_guard;
pub mod rate_limit;
pub mod request_limit;
pub mod rpc_allowlist;
pub mod server_key;
pub mod static_caching;
pub mod static_files;
pub mod stream_cap;

use http::{HeaderValue, Response};
use tonic::{body::Body as TonicBody, Status};

/// The error type http bodies and services box their errors into.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A trailers-only gRPC answer refusing a call before it reaches the service (inside tonic-web
/// this becomes a gRPC-Web answer too); `retry_after` seconds go into `retry-after` metadata.
pub fn refusal(status: Status, retry_after: Option<u64>) -> Response<TonicBody> {
    let mut response = status.into_http::<TonicBody>();
    if let Some(seconds) = retry_after {
        response.headers_mut().insert("retry-after", HeaderValue::from(seconds));
    }
    response
}
