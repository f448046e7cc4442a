//! CORS: an explicit origin allowlist; the headers gRPC-Web needs in both directions.
use std::time::Duration;

use http::{HeaderName, HeaderValue, Method, Uri};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// Request headers a gRPC-Web page sends (plus our fault header).
const ALLOWED_HEADERS: [&str; 6] = ["content-type", "x-grpc-web", "x-user-agent", "grpc-timeout", "authorization", "x-fault"];
/// Response headers a page must be able to read: without them a trailers-only error looks
/// like a malformed response to the browser client; `retry-after` feeds its rate-limit wait.
const EXPOSED_HEADERS: [&str; 4] = ["grpc-status", "grpc-message", "grpc-status-details-bin", "retry-after"];

#[derive(Debug, thiserror::Error)]
#[error("invalid {flag} {origin:?}: an origin is scheme://host[:port] with nothing after, e.g. http://localhost:3000")]
pub struct InvalidOrigin {
    flag: &'static str,
    origin: String,
}

/// Checks `--cors-origin` values: `http(s)://host[:port]`, no path, query or user info.
pub fn parse_origins(origins: &[String]) -> Result<Vec<HeaderValue>, InvalidOrigin> {
    parse_origins_of("--cors-origin", origins)
}

/// Checks the origins of `flag`, lower-cased and without a default port (a browser's `Origin`
/// header never carries `:443` on https or `:80` on http).
pub fn parse_origins_of(flag: &'static str, origins: &[String]) -> Result<Vec<HeaderValue>, InvalidOrigin> {
    origins
        .iter()
        .map(|origin| {
            let lower = origin.trim_end_matches('/').to_ascii_lowercase();
            let trimmed = lower
                .strip_prefix("https://")
                .and_then(|rest| rest.strip_suffix(":443"))
                .map(|host| format!("https://{host}"))
                .or_else(|| lower.strip_prefix("http://").and_then(|rest| rest.strip_suffix(":80")).map(|host| format!("http://{host}")))
                .unwrap_or_else(|| lower.clone());
            let uri: Option<Uri> = trimmed.parse().ok();
            let valid = uri.is_some_and(|uri| {
                matches!(uri.scheme_str(), Some("http" | "https"))
                    && uri.authority().is_some_and(|authority| !authority.host().is_empty() && !authority.as_str().contains('@'))
                    && uri.path_and_query().is_none_or(|rest| rest.as_str().is_empty() || rest.as_str() == "/")
            });
            HeaderValue::from_str(&trimmed).ok().filter(|_| valid).ok_or_else(|| InvalidOrigin { flag, origin: origin.clone() })
        })
        .collect()
}

/// A layer allowing exactly `origins` (none: same-origin only, i.e. no CORS headers at all).
pub fn cors_layer(origins: &[HeaderValue]) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins.iter().cloned()))
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers(ALLOWED_HEADERS.map(HeaderName::from_static))
        .expose_headers(EXPOSED_HEADERS.map(HeaderName::from_static))
        .max_age(Duration::from_secs(3600))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(origin: &str) -> Result<Vec<HeaderValue>, InvalidOrigin> {
        parse_origins(&[origin.to_string()])
    }

    #[test]
    fn origins_are_scheme_host_and_port_only() {
        assert_eq!(parse("http://localhost:3000/").unwrap(), ["http://localhost:3000"]);
        assert_eq!(parse("https://Chat.Example.com").unwrap(), ["https://chat.example.com"]);
        assert_eq!(parse("https://chat.example.com:443").unwrap(), ["https://chat.example.com"]);
        assert_eq!(parse("http://chat.example.com:80/").unwrap(), ["http://chat.example.com"]);
        assert_eq!(parse("http://chat.example.com:443").unwrap(), ["http://chat.example.com:443"]);
        for bad in [
            "localhost:3000",
            "ftp://example.com",
            "https://example.com/app",
            "https://example.com?x=1",
            "https://user@example.com",
            "https://",
            "*",
            "null",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
