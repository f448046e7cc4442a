//! What was wrong with an answer that arrived: the fault kinds, how they are recognised (from
//! what the transport saw, or from the text of a status tonic made while decoding), and what
//! the user is told about each.
use tonic::Code;

use super::{
    text::{megabytes, unreachable_detail},
    Origin,
};

/// What was wrong with an answer that arrived (a broken or hostile endpoint, a proxy in the way,
/// a connection that dropped).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Something other than gRPC-Web answered: an HTML error page from a proxy, a web server.
    NotGrpcWeb { http_status: u16 },
    /// A gRPC-Web frame or message could not be read (bad flag byte, bad length, bad bytes).
    Garbled,
    /// A message over the size this call accepts.
    TooLarge,
    /// The final status (the trailer frame) could not be read.
    BadStatus,
    /// The answer ended before the endpoint's final status, or the connection broke.
    Cut,
    /// Nothing arrived for longer than the limit.
    Stalled,
}

impl Fault {
    /// Failures that may pass if the call is simply made again.
    pub(super) fn is_transient(self) -> bool {
        matches!(self, Fault::Cut | Fault::Stalled | Fault::NotGrpcWeb { http_status: 502..=504 })
    }
}

/// What the transport saw, in plain terms (the browser transport fills it in from the client's
/// own error type; see `api::transport`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportFailure {
    /// fetch itself failed: nothing answered.
    Unreachable,
    /// The connection broke while the answer was read.
    ConnectionBroke,
    /// The answer is not gRPC-Web.
    NotGrpcWeb { http_status: u16, content_type: Option<String> },
    /// The body ended between frames, without the trailer frame.
    EndedWithoutStatus,
    /// The body ended inside a frame (a length prefix larger than what followed).
    TruncatedFrame,
    /// The trailer frame is unreadable or too large.
    BadTrailer,
    /// The body's bytes cannot be decoded at all (e.g. invalid base64 in gRPC-Web text).
    Undecodable,
}

/// The fault behind a status tonic itself produced while decoding an answer (it has no source
/// to downcast, only its text).
pub(super) fn tonic_fault(code: Code, lower: &str) -> Option<Fault> {
    let has = |text: &str| lower.contains(text);
    match code {
        Code::OutOfRange if has("decoded message length too large") => Some(Fault::TooLarge),
        Code::Internal
            if has("invalid compression flag")
                || has("compressed-flag but no grpc-encoding")
                || has("failed to decode protobuf message") =>
        {
            Some(Fault::Garbled)
        }
        Code::Internal if has("unexpected eof decoding stream") => Some(Fault::Cut),
        Code::Unknown if has("missing grpc-status trailer") => Some(Fault::Cut),
        Code::Unknown if has("error deserializing status message header") => Some(Fault::BadStatus),
        _ => None,
    }
}

/// The origin and the user's detail for what the transport saw.
pub(super) fn failure_origin(failure: TransportFailure, raw: &str) -> (Origin, String) {
    match failure {
        TransportFailure::Unreachable => (Origin::Transport, unreachable_detail(raw)),
        TransportFailure::ConnectionBroke => (Origin::Fault(Fault::Cut), raw.to_owned()),
        TransportFailure::NotGrpcWeb { http_status, content_type } => {
            (Origin::Fault(Fault::NotGrpcWeb { http_status }), describe_not_grpc_web(http_status, content_type.as_deref()))
        }
        TransportFailure::EndedWithoutStatus => {
            (Origin::Fault(Fault::Cut), "The response ended without the endpoint's final status (no grpc-status trailer).".to_owned())
        }
        TransportFailure::TruncatedFrame => (
            Origin::Fault(Fault::Garbled),
            "The response ended inside a message: its length prefix announced more bytes than were sent.".to_owned(),
        ),
        TransportFailure::BadTrailer => (Origin::Fault(Fault::BadStatus), raw.to_owned()),
        TransportFailure::Undecodable => (Origin::Fault(Fault::Garbled), raw.to_owned()),
    }
}

/// "HTTP 502 (Bad Gateway), an HTML page (text/html)".
fn describe_not_grpc_web(http_status: u16, content_type: Option<&str>) -> String {
    let reason = http::StatusCode::from_u16(http_status)
        .ok()
        .and_then(|status| status.canonical_reason())
        .map(|reason| format!(" ({reason})"))
        .unwrap_or_default();
    let essence = content_type.and_then(|value| value.split(';').next()).map(|value| value.trim().to_ascii_lowercase()).unwrap_or_default();
    let what = match essence.as_str() {
        "" => "no content type".to_owned(),
        "text/html" | "application/xhtml+xml" => "an HTML page (text/html)".to_owned(),
        "text/plain" => "plain text (text/plain)".to_owned(),
        "application/json" => "JSON (application/json)".to_owned(),
        grpc if grpc.starts_with("application/grpc") => {
            format!("native gRPC ({grpc}), which browsers cannot use without a gRPC-Web proxy")
        }
        other => format!("content of type {other}"),
    };
    format!("The endpoint answered HTTP {http_status}{reason} with {what} instead of a gRPC-Web answer.")
}

/// tonic's "decoded message length too large: found N bytes, the limit is: M bytes" in sizes.
pub(super) fn describe_too_large(raw: &str) -> String {
    let number_after = |marker: &str| -> Option<u64> {
        let rest = &raw[raw.find(marker)? + marker.len()..];
        rest.trim_start().split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
    };
    match (number_after("found"), number_after("limit is:")) {
        (Some(found), Some(limit)) => {
            format!("The endpoint sent a message of {}; this call accepts at most {}.", megabytes(found), megabytes(limit))
        }
        _ => raw.to_owned(),
    }
}

pub(super) fn fault_title(fault: Fault) -> &'static str {
    match fault {
        Fault::NotGrpcWeb { .. } => "The endpoint sent a response that is not gRPC-Web",
        Fault::Garbled => "The endpoint sent a broken gRPC-Web answer",
        Fault::TooLarge => "The answer is too large",
        Fault::BadStatus => "The endpoint's final status is unreadable",
        Fault::Cut => "The answer was cut off",
        Fault::Stalled => "The answer stalled",
    }
}

pub(super) fn fault_advice(fault: Fault) -> &'static str {
    match fault {
        Fault::NotGrpcWeb { http_status: 502..=504 } => "A proxy or web server in front of the service answered instead of it: try again shortly, and check the endpoint in Settings if it persists.",
        Fault::NotGrpcWeb { .. } => "Something other than the gRPC-Web service answered: check the endpoint in Settings.",
        Fault::Garbled | Fault::BadStatus => "The endpoint does not speak gRPC-Web correctly: check the endpoint in Settings, or report it to whoever runs it.",
        Fault::TooLarge => "Ask for less (fewer or smaller images, a smaller page of results).",
        Fault::Cut => "The answer stopped before it was complete; what arrived is kept. Try again.",
        Fault::Stalled => "The endpoint stopped sending; what arrived is kept. Try again.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{AppError, Remedy};

    #[test]
    fn a_response_that_is_not_grpc_web_says_what_it_was() {
        let status = tonic::Status::unknown("the response is not gRPC-Web (HTTP 502, content type text/html)");
        let failure = TransportFailure::NotGrpcWeb { http_status: 502, content_type: Some("text/html; charset=utf-8".into()) };
        let error = AppError::from_call(&status, Some(failure), &[]);
        assert_eq!(error.title(), "The endpoint sent a response that is not gRPC-Web");
        assert_eq!(
            error.detail,
            "The endpoint answered HTTP 502 (Bad Gateway) with an HTML page (text/html) instead of a gRPC-Web answer."
        );
        assert_eq!(error.kind(), "endpoint");
        assert!(error.is_transport(), "a proxy's 502 may pass: worth a retry");
        let not_found = TransportFailure::NotGrpcWeb { http_status: 404, content_type: None };
        let error = AppError::from_call(&status, Some(not_found), &[]);
        assert!(!error.is_transport(), "a web server's 404 will not pass by itself");
        assert_eq!(error.remedy(), Remedy::CheckSettings);
        assert!(error.detail.contains("HTTP 404 (Not Found) with no content type instead"), "{}", error.detail);
        let native = TransportFailure::NotGrpcWeb { http_status: 200, content_type: Some("application/grpc".into()) };
        assert!(AppError::from_call(&status, Some(native), &[]).detail.contains("gRPC-Web proxy"));
    }

    #[test]
    fn broken_answers_are_faults_of_the_endpoint_not_service_answers() {
        let cases = [
            (TransportFailure::Unreachable, Origin::Transport, "Cannot reach the service"),
            (TransportFailure::ConnectionBroke, Origin::Fault(Fault::Cut), "The answer was cut off"),
            (TransportFailure::EndedWithoutStatus, Origin::Fault(Fault::Cut), "The answer was cut off"),
            (TransportFailure::TruncatedFrame, Origin::Fault(Fault::Garbled), "The endpoint sent a broken gRPC-Web answer"),
            (TransportFailure::BadTrailer, Origin::Fault(Fault::BadStatus), "The endpoint's final status is unreadable"),
            (TransportFailure::Undecodable, Origin::Fault(Fault::Garbled), "The endpoint sent a broken gRPC-Web answer"),
        ];
        for (failure, origin, title) in cases {
            let error = AppError::from_call(&tonic::Status::unknown("x"), Some(failure.clone()), &[]);
            assert_eq!(error.origin, origin, "{failure:?}");
            assert_eq!(error.title(), title, "{failure:?}");
            assert!(!error.advice().is_empty());
        }
        // Garbage is not retried (it would come back the same); a cut is.
        assert!(!AppError::from_call(&tonic::Status::unknown("x"), Some(TransportFailure::Undecodable), &[]).is_retryable());
        assert!(AppError::from_call(&tonic::Status::unknown("x"), Some(TransportFailure::EndedWithoutStatus), &[]).is_retryable());
    }

    #[test]
    fn statuses_tonic_makes_from_garbage_are_recognised() {
        let flag = tonic::Status::internal("protocol error: received message with invalid compression flag: 66 (valid flags are 0 and 1) while receiving response with status: 200 OK");
        assert_eq!(AppError::from_call(&flag, None, &[]).origin, Origin::Fault(Fault::Garbled));
        let protobuf = tonic::Status::internal("failed to decode Protobuf message: invalid wire type value: 7");
        assert_eq!(AppError::from_call(&protobuf, None, &[]).origin, Origin::Fault(Fault::Garbled));
        let huge =
            tonic::Status::out_of_range("Error, decoded message length too large: found 4294967295 bytes, the limit is: 4194304 bytes");
        let error = AppError::from_call(&huge, None, &[]);
        assert_eq!(error.title(), "The answer is too large");
        assert_eq!(error.detail, "The endpoint sent a message of 4096.0 MB; this call accepts at most 4 MB.");
        let eof = tonic::Status::internal("Unexpected EOF decoding stream.");
        assert_eq!(AppError::from_call(&eof, None, &[]).origin, Origin::Fault(Fault::Cut));
        // An ordinary INTERNAL answer stays the service's.
        assert_eq!(AppError::from_call(&tonic::Status::internal("disk full"), None, &[]).origin, Origin::Service);
    }
}
