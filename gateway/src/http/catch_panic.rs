//! A panic while a call is handled becomes INTERNAL for that call (a trailers-only gRPC answer,
//! which tonic-web turns into a gRPC-Web one), with an id in the message and the panic's text in
//! the log. Without it the panic would end the connection's task: every other call on that
//! connection would be cut too.
use std::any::Any;

use http::Response;
use tonic::{body::Body as TonicBody, Status};
use tower_http::catch_panic::CatchPanicLayer;

/// What answers a panic: a plain function, so the layer's type can be named.
type PanicAnswer = fn(Box<dyn Any + Send + 'static>) -> Response<TonicBody>;

/// The layer, answering panics with [`internal_for_panic`].
pub fn catch_panic_layer() -> CatchPanicLayer<PanicAnswer> {
    CatchPanicLayer::custom(internal_for_panic as PanicAnswer)
}

/// The answer to a call whose handler panicked with `panic`.
pub fn internal_for_panic(panic: Box<dyn Any + Send + 'static>) -> Response<TonicBody> {
    let text =
        panic.downcast_ref::<String>().map(String::as_str).or_else(|| panic.downcast_ref::<&str>().copied()).unwrap_or("(no message)");
    let id = crate::error_id::new_id();
    tracing::error!(error_id = %id, "a call's handler panicked: {text}");
    let status = Status::internal(crate::error_id::public_message("the gateway failed while handling this call", &id));
    super::refusal(status, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_trailers_only_internal_without_its_text() {
        let response = internal_for_panic(Box::new("secret detail at /srv/x".to_string()));
        assert_eq!(response.headers()["grpc-status"], "13");
        assert_eq!(response.headers()["content-type"], "application/grpc");
        let message = response.headers()["grpc-message"].to_str().unwrap();
        assert!(message.contains("internal%20error%20(id%20") || message.contains("internal error (id "), "{message}");
        assert!(!message.contains("secret"), "{message}");
    }
}
