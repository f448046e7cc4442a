//! The tonic services, one per file: each authorizes the call and delegates to the backend.
mod auth;
mod batch;
mod chat;
mod image;
mod models;
mod sample;

use std::{sync::Arc, time::Duration};

use tonic::{Request, Status};

pub use auth::AuthService;
pub use batch::BatchService;
pub use chat::ChatService;
pub use image::ImageService;
pub use models::ModelsService;
pub use sample::SampleService;

use crate::{
    backend::{ApiKeySecret, Backend, Caller, Permission},
    metrics::Metrics,
};

/// What every service holds.
#[derive(Clone)]
pub struct Shared {
    pub backend: Arc<dyn Backend>,
    pub metrics: Arc<Metrics>,
}

impl Shared {
    /// Authorizes `request` for `permission` with the key in its `authorization` metadata.
    pub async fn authorize<T>(&self, request: &Request<T>, permission: Permission) -> Result<Caller, Status> {
        let key = bearer_key(request)?;
        let mut caller = self.backend.authorize(key, permission).await?;
        caller.deadline = grpc_timeout(request).map(|timeout| tokio::time::Instant::now() + timeout);
        Ok(caller)
    }
}

/// The call's `grpc-timeout` (gRPC over HTTP/2: up to 8 digits and a unit H, M, S, m, u or n).
/// A malformed value counts as none: tonic's server ignores it the same way.
fn grpc_timeout<T>(request: &Request<T>) -> Option<Duration> {
    let value = request.metadata().get("grpc-timeout")?.to_str().ok()?;
    let unit_at = value.len().checked_sub(1)?;
    let (digits, unit) = value.split_at(unit_at);
    if digits.is_empty() || digits.len() > 8 {
        return None;
    }
    let amount: u64 = digits.parse().ok()?;
    Some(match unit {
        "H" => Duration::from_secs(amount * 3600),
        "M" => Duration::from_secs(amount * 60),
        "S" => Duration::from_secs(amount),
        "m" => Duration::from_millis(amount),
        "u" => Duration::from_micros(amount),
        "n" => Duration::from_nanos(amount),
        _ => return None,
    })
}

/// The key of `authorization: Bearer <key>`; None when the metadata is absent. The error
/// never repeats the value: it may be a real key sent the wrong way.
fn bearer_key<T>(request: &Request<T>) -> Result<Option<ApiKeySecret>, Status> {
    let Some(value) = request.metadata().get("authorization") else { return Ok(None) };
    let malformed = || Status::unauthenticated("malformed authorization metadata: expected 'Bearer <your xAI API key>'");
    let value = value.to_str().map_err(|_| malformed())?.trim();
    let (scheme, key) = value.split_once(' ').ok_or_else(malformed)?;
    let key = key.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || key.is_empty() {
        return Err(malformed());
    }
    Ok(Some(ApiKeySecret::new(key.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timeout_of(value: &str) -> Option<Duration> {
        let mut request = Request::new(());
        request.metadata_mut().insert("grpc-timeout", value.parse().unwrap());
        grpc_timeout(&request)
    }

    #[test]
    fn grpc_timeouts_are_parsed_as_the_spec_writes_them() {
        assert_eq!(timeout_of("30S"), Some(Duration::from_secs(30)));
        assert_eq!(timeout_of("2M"), Some(Duration::from_secs(120)));
        assert_eq!(timeout_of("1H"), Some(Duration::from_secs(3600)));
        assert_eq!(timeout_of("29999m"), Some(Duration::from_millis(29_999)));
        assert_eq!(timeout_of("5u"), Some(Duration::from_micros(5)));
        assert_eq!(timeout_of("7n"), Some(Duration::from_nanos(7)));
        for malformed in ["", "S", "30", "30s", "123456789S", "-1S", "1.5S"] {
            assert_eq!(timeout_of(malformed), None, "{malformed:?}");
        }
        assert_eq!(grpc_timeout(&Request::new(())), None);
    }
}
