//! The HTTP transport under the generated clients.
//!
//! In the browser it is tonic-web-wasm-client (gRPC-Web over fetch, binary mode). Natively (unit
//! tests, clippy) there is no fetch, so a transport that fails every call stands in: the app's
//! code type-checks and its pure logic runs under `cargo test` on the host.

#[cfg(target_arch = "wasm32")]
pub use tonic_web_wasm_client::Client as Transport;

/// Builds the transport for a normalised endpoint.
#[cfg(target_arch = "wasm32")]
pub fn connect(endpoint: &str) -> Transport {
    Transport::new(endpoint.to_owned())
}

/// True when a failed call's status was produced by the transport, not by a service.
#[cfg(target_arch = "wasm32")]
pub fn is_transport_failure(status: &tonic::Status) -> bool {
    let mut source = std::error::Error::source(status);
    while let Some(error) = source {
        if let Some(client_error) = error.downcast_ref::<tonic_web_wasm_client::Error>() {
            // A status the client carried through is the service's own answer.
            return !matches!(client_error, tonic_web_wasm_client::Error::TonicStatusError(_));
        }
        source = error.source();
    }
    false
}

#[cfg(not(target_arch = "wasm32"))]
pub use native::{connect, is_transport_failure, Transport};

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
    pub fn is_transport_failure(_status: &tonic::Status) -> bool {
        false
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
