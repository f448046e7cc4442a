//! Attaches the API key to every call as `authorization: Bearer <key>`.
use tonic::{metadata::MetadataValue, service::Interceptor, Request, Status};

use crate::settings::ApiKeySecret;

/// The auth interceptor. Without a key nothing is attached: a gateway that holds the key
/// server-side then authenticates the call itself.
#[derive(Clone)]
pub struct BearerAuth {
    key: Option<ApiKeySecret>,
}

impl BearerAuth {
    /// An interceptor for this key (or none).
    pub fn new(key: Option<ApiKeySecret>) -> Self {
        BearerAuth { key }
    }
}

impl Interceptor for BearerAuth {
    fn call(&mut self, mut request: Request<()>) -> Result<Request<()>, Status> {
        if let Some(key) = &self.key {
            let mut value: MetadataValue<_> = format!("Bearer {}", key.expose())
                .parse()
                // The message must not repeat the key.
                .map_err(|_| Status::unauthenticated("the API key contains characters that cannot be sent in a header"))?;
            value.set_sensitive(true);
            request.metadata_mut().insert("authorization", value);
        }
        Ok(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_goes_out_as_a_bearer_token() {
        let mut auth = BearerAuth::new(Some(ApiKeySecret::new("xai-test-key-123456".into())));
        let request = auth.call(Request::new(())).unwrap();
        let header = request.metadata().get("authorization").unwrap();
        assert_eq!(header.to_str().unwrap(), "Bearer xai-test-key-123456");
        assert!(header.is_sensitive());
    }

    #[test]
    fn no_key_means_no_header() {
        let request = BearerAuth::new(None).call(Request::new(())).unwrap();
        assert!(request.metadata().get("authorization").is_none());
    }

    #[test]
    fn a_key_that_cannot_be_a_header_is_refused_without_echoing_it() {
        let secret = "xai-bad\nkey-with-newline";
        let status = BearerAuth::new(Some(ApiKeySecret::new(secret.into()))).call(Request::new(())).unwrap_err();
        assert_eq!(status.code(), tonic::Code::Unauthenticated);
        assert!(!status.message().contains("xai-bad"));
    }
}
