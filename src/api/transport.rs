//! The HTTP transport under the generated clients.
//!
//! In the browser it is tonic-web-wasm-client (gRPC-Web over fetch, binary mode). Natively (unit
//! tests, clippy) there is no fetch, so a transport that fails every call stands in: the app's
//! code type-checks and its pure logic runs under `cargo test` on the host.

#[cfg(target_arch = "wasm32")]
pub use tonic_web_wasm_client::Client as Transport;

#[cfg(target_arch = "wasm32")]
use crate::error::TransportFailure;

/// Builds the transport for a normalised endpoint.
#[cfg(target_arch = "wasm32")]
pub fn connect(endpoint: &str) -> Transport {
    Transport::new(endpoint.to_owned())
}

/// What the transport saw, when a failed call's status was produced by it (None: the status is
/// the service's own answer, or tonic's).
#[cfg(target_arch = "wasm32")]
pub fn transport_failure(status: &tonic::Status) -> Option<TransportFailure> {
    use tonic_web_wasm_client::Error;
    let mut source = std::error::Error::source(status);
    while let Some(error) = source {
        if let Some(client_error) = error.downcast_ref::<Error>() {
            return Some(match client_error {
                // A status the client carried through is the service's own answer.
                Error::TonicStatusError(_) => return None,
                Error::JsError(_) => TransportFailure::Unreachable,
                Error::BodyReadError(_) => TransportFailure::ConnectionBroke,
                Error::NotGrpcWeb { status, content_type } => {
                    TransportFailure::NotGrpcWeb { http_status: *status, content_type: content_type.clone() }
                }
                Error::InvalidContentType(content_type) => {
                    TransportFailure::NotGrpcWeb { http_status: 200, content_type: Some(content_type.clone()) }
                }
                Error::MissingContentTypeHeader => TransportFailure::NotGrpcWeb { http_status: 200, content_type: None },
                Error::EndedWithoutStatus => TransportFailure::EndedWithoutStatus,
                Error::TruncatedFrame | Error::MalformedResponse => TransportFailure::TruncatedFrame,
                Error::TrailerTooLarge { .. } | Error::HeaderParsingError | Error::InvalidHeaderName(_) | Error::InvalidHeaderValue(_) => {
                    TransportFailure::BadTrailer
                }
                Error::Base64DecodeError(_) | Error::HeaderValueError(_) | Error::HttpError(_) | Error::MissingResponseBody => {
                    TransportFailure::Undecodable
                }
            });
        }
        source = error.source();
    }
    None
}

#[cfg(not(target_arch = "wasm32"))]
pub use native::{connect, transport_failure, Transport};

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::{
        future::{ready, Ready},
        task::{Context, Poll},
    };

    use tonic::codegen::{http, Service};

    /// Stand-in transport for host builds: every call fails as a transport failure.
    #[derive(Clone, Debug)]
    pub struct Transport;

    /// Builds the stand-in transport.
    pub fn connect(_endpoint: &str) -> Transport {
        Transport
    }

    /// Host builds have no real transport, so nothing is classified by source.
    pub fn transport_failure(_status: &tonic::Status) -> Option<crate::error::TransportFailure> {
        None
    }

    impl Service<http::Request<tonic::body::Body>> for Transport {
        type Response = http::Response<tonic::body::Body>;
        type Error = std::io::Error;
        type Future = Ready<Result<Self::Response, Self::Error>>;

        fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
            Poll::Ready(Ok(()))
        }

        fn call(&mut self, _request: http::Request<tonic::body::Body>) -> Self::Future {
            ready(Err(std::io::Error::other("no fetch transport outside the browser")))
        }
    }
}
