//! The endpoint a user configures: where the gRPC-Web calls go.

/// Why an endpoint cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    /// Nothing was entered.
    #[error("enter the endpoint URL, e.g. https://gateway.example.com")]
    Empty,
    /// Not an http(s) URL.
    #[error("the endpoint must start with http:// or https://")]
    Scheme,
    /// A query string or fragment would break the gRPC path appended to it.
    #[error("the endpoint must not contain '?' or '#'")]
    QueryOrFragment,
    /// No host after the scheme.
    #[error("the endpoint has no host name")]
    NoHost,
}

/// Normalises an endpoint: trims it and removes trailing slashes, because the client appends
/// `/xai_api.Service/Method` and `https://host/` would become `https://host//xai_api...`.
/// A path prefix (a gateway behind a reverse proxy at /grpc) is kept.
pub fn normalize(input: &str) -> Result<String, EndpointError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(EndpointError::Empty);
    }
    let lower = trimmed.to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &trimmed["https://".len()..]
    } else if lower.starts_with("http://") {
        &trimmed["http://".len()..]
    } else {
        return Err(EndpointError::Scheme);
    };
    if trimmed.contains(['?', '#']) {
        return Err(EndpointError::QueryOrFragment);
    }
    if rest.trim_start_matches('/').is_empty() || rest.starts_with('/') {
        return Err(EndpointError::NoHost);
    }
    Ok(trimmed.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_slashes_are_removed_so_paths_do_not_double() {
        assert_eq!(normalize("http://127.0.0.1:8080/").unwrap(), "http://127.0.0.1:8080");
        assert_eq!(normalize("  https://gw.example.com///  ").unwrap(), "https://gw.example.com");
        assert_eq!(normalize("https://example.com/grpc/").unwrap(), "https://example.com/grpc");
    }

    #[test]
    fn unusable_endpoints_are_refused_with_a_reason() {
        assert_eq!(normalize(""), Err(EndpointError::Empty));
        assert_eq!(normalize("api.x.ai:443"), Err(EndpointError::Scheme));
        assert_eq!(normalize("ftp://host"), Err(EndpointError::Scheme));
        assert_eq!(normalize("https://host/?key=1"), Err(EndpointError::QueryOrFragment));
        assert_eq!(normalize("https:///path"), Err(EndpointError::NoHost));
        assert_eq!(normalize("https://"), Err(EndpointError::NoHost));
    }
}
