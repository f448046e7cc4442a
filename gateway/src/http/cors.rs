//! CORS: an explicit origin allowlist; the headers gRPC-Web needs in both directions.
use std::time::Duration;

use http::{HeaderName, HeaderValue, Method};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// Request headers a gRPC-Web page sends (plus our fault header).
const ALLOWED_HEADERS: [&str; 6] =
    ["content-type", "x-grpc-web", "x-user-agent", "grpc-timeout", "authorization", "x-fault"];
/// Response headers a page must be able to read: without them a trailers-only error looks
/// like a malformed response to the browser client.
const EXPOSED_HEADERS: [&str; 3] = ["grpc-status", "grpc-message", "grpc-status-details-bin"];

#[derive(Debug, thiserror::Error)]
#[error("invalid --cors-origin {origin:?}: expected e.g. http://localhost:3000")]
pub struct InvalidOrigin {
    origin: String,
}

/// A layer allowing exactly `origins` (none: same-origin only, i.e. no CORS headers at all).
pub fn cors_layer(origins: &[String]) -> Result<CorsLayer, InvalidOrigin> {
    let origins = origins
        .iter()
        .map(|origin| {
            let trimmed = origin.trim_end_matches('/');
            let valid = trimmed.starts_with("http://") || trimmed.starts_with("https://");
            HeaderValue::from_str(trimmed)
                .ok()
                .filter(|_| valid)
                .ok_or_else(|| InvalidOrigin { origin: origin.clone() })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers(ALLOWED_HEADERS.map(HeaderName::from_static))
        .expose_headers(EXPOSED_HEADERS.map(HeaderName::from_static))
        .max_age(Duration::from_secs(3600)))
}
