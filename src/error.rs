//! The app's one error type. It keeps the gRPC status code, tells transport failures (the request
//! never got a service answer) apart from service answers, and knows what each code means to a
//! user, following the status table of the service reference.
use std::fmt;

use tonic::Code;

/// Where a failure came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The service answered with a status (a real gRPC error).
    Service,
    /// No answer arrived: fetch failed (unreachable endpoint, offline, refused by CORS).
    Transport,
    /// Something arrived, but not a usable gRPC-Web answer, or it stopped: see the fault.
    Fault(Fault),
    /// The app refused before sending (bad settings, invalid input, too large).
    Client,
}

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
    fn is_transient(self) -> bool {
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

/// A failed call, as the user is told about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppError {
    /// The gRPC status code (transport failures keep the code tonic gave them, usually Unknown).
    pub code: Code,
    /// Service answer, transport failure or client-side refusal.
    pub origin: Origin,
    /// The detail: the service's message or the transport's description, secrets removed.
    pub detail: String,
}

/// What a user can do about an error, so pages can offer the right action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Remedy {
    /// Fix the input and send again.
    FixInput,
    /// Go to Settings and enter a (different) key or endpoint.
    CheckSettings,
    /// Wait and try again.
    RetryLater,
    /// Nothing to do but report it.
    Report,
}

/// Transport failure descriptions produced by fetch and tonic-web-wasm-client that arrive as
/// `Code::Unknown` / `Code::Internal` without a service behind them.
const TRANSPORT_MARKERS: &[&str] = &[
    "failed to fetch",
    "networkerror",
    "load failed",
    "malformed response",
    "invalid content type",
    "missing content-type",
    "missing grpc-status",
    "missing response body",
    "error reading a body from connection",
    "connection reset",
    "h2 protocol error",
    "js error",
];

impl AppError {
    /// An error from a service answer or a transport failure. `transport` is true when the status
    /// was produced by the transport.
    pub fn from_status(status: &tonic::Status, transport: bool, secrets: &[&str]) -> Self {
        Self::from_call(status, transport.then_some(TransportFailure::Unreachable), secrets)
    }

    /// An error from a failed call: `failure` is what the transport knows (None when the status
    /// did not come from it); a status tonic itself produced is recognised by its text.
    pub fn from_call(status: &tonic::Status, failure: Option<TransportFailure>, secrets: &[&str]) -> Self {
        let raw = redact(status.message(), secrets);
        let lower = raw.to_ascii_lowercase();
        let (origin, detail) = match failure {
            Some(failure) => failure_origin(failure, &raw),
            None => match tonic_fault(status.code(), &lower) {
                Some(Fault::TooLarge) => (Origin::Fault(Fault::TooLarge), describe_too_large(&raw)),
                Some(fault) => (Origin::Fault(fault), raw),
                None if matches!(status.code(), Code::Unknown | Code::Internal)
                    && TRANSPORT_MARKERS.iter().any(|marker| lower.contains(marker)) =>
                {
                    (Origin::Transport, raw)
                }
                None => (Origin::Service, raw),
            },
        };
        AppError { code: status.code(), origin, detail: clean_detail(&detail) }
    }

    /// An error raised before anything was sent.
    pub fn client(code: Code, detail: impl Into<String>) -> Self {
        AppError { code, origin: Origin::Client, detail: detail.into() }
    }

    /// True when the failure is below the service and may pass by itself: nothing answered,
    /// the answer was cut or stalled, or a proxy in front of the service failed. (A broken
    /// endpoint's garbage is not: trying again gets the same garbage.)
    pub fn is_transport(&self) -> bool {
        match self.origin {
            Origin::Transport => true,
            Origin::Fault(fault) => fault.is_transient(),
            Origin::Service | Origin::Client => false,
        }
    }

    /// What kind of failure this is, for styling and tests: "service", "transport",
    /// "endpoint" (an answer that is broken or not gRPC-Web) or "client".
    pub fn kind(&self) -> &'static str {
        match self.origin {
            Origin::Service => "service",
            Origin::Transport => "transport",
            Origin::Fault(Fault::Cut | Fault::Stalled) => "transport",
            Origin::Fault(_) => "endpoint",
            Origin::Client => "client",
        }
    }

    /// Short headline for the user.
    pub fn title(&self) -> &'static str {
        match self.origin {
            Origin::Transport => return "Cannot reach the service",
            Origin::Fault(fault) => return fault_title(fault),
            Origin::Client if self.code == Code::OutOfRange => return "Too large to send",
            _ => {}
        }
        match self.code {
            Code::Ok => "Success",
            Code::InvalidArgument => "Invalid request",
            Code::Unauthenticated => "Authentication failed",
            Code::PermissionDenied => "Access denied",
            Code::NotFound => "Not found",
            Code::ResourceExhausted => "Rate limited",
            Code::Internal => "Server error",
            Code::Unavailable => "Service unavailable",
            Code::DeadlineExceeded => "Timed out",
            Code::Cancelled => "Cancelled",
            Code::Unimplemented => "Not supported by this endpoint",
            Code::FailedPrecondition => "Not possible right now",
            Code::AlreadyExists => "Already exists",
            Code::OutOfRange => "Out of range",
            Code::Aborted => "Aborted",
            Code::DataLoss => "Data lost",
            Code::Unknown => "Unknown error",
        }
    }

    /// What the user can do next, in one sentence.
    pub fn advice(&self) -> &'static str {
        match self.origin {
            Origin::Transport => {
                return "The request did not get an answer: check the endpoint in Settings and your connection, then try again.";
            }
            Origin::Fault(fault) => return fault_advice(fault),
            Origin::Client if self.code == Code::OutOfRange => return "Nothing was sent: make it smaller as said above.",
            _ => {}
        }
        match self.code {
            Code::InvalidArgument | Code::OutOfRange => "Check the input named above and send again.",
            Code::Unauthenticated => "The API key is missing, wrong or deleted: enter a valid key in Settings.",
            Code::PermissionDenied => "This API key is not allowed to make this call: use a key with the right permissions (ACLs) in Settings.",
            Code::NotFound => "It may have been deleted or renamed.",
            Code::ResourceExhausted => "Too many requests: wait a moment before trying again.",
            Code::Unavailable => "The service is temporarily unavailable: try again shortly.",
            Code::DeadlineExceeded => "The call took too long: try again, or ask for less.",
            Code::Cancelled => "The call was stopped before it finished.",
            Code::Unimplemented => "The configured endpoint does not offer this call.",
            Code::Internal | Code::Unknown | Code::DataLoss => "Something went wrong on the server: try again, and report it if it persists.",
            Code::FailedPrecondition | Code::Aborted | Code::AlreadyExists => "Refresh and try again.",
            Code::Ok => "",
        }
    }

    /// The action a page should offer.
    pub fn remedy(&self) -> Remedy {
        if self.is_transport() {
            return Remedy::RetryLater;
        }
        match self.origin {
            Origin::Fault(Fault::TooLarge) => return Remedy::FixInput,
            Origin::Fault(_) => return Remedy::CheckSettings,
            _ => {}
        }
        match self.code {
            Code::InvalidArgument | Code::OutOfRange | Code::NotFound | Code::AlreadyExists => Remedy::FixInput,
            Code::Unauthenticated | Code::PermissionDenied | Code::Unimplemented => Remedy::CheckSettings,
            Code::ResourceExhausted | Code::Unavailable | Code::DeadlineExceeded | Code::Aborted => Remedy::RetryLater,
            _ => Remedy::Report,
        }
    }

    /// Whether sending the same request again may succeed (used by retry policies).
    pub fn is_retryable(&self) -> bool {
        self.is_transport() || matches!(self.code, Code::Unavailable | Code::ResourceExhausted)
    }

    /// The status code as the reference's table writes it, e.g. "UNAUTHENTICATED (16)".
    pub fn code_label(&self) -> String {
        format!("{} ({})", code_name(self.code), self.code as i32)
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} [{}]", self.title(), self.detail, self.code_label())
    }
}

impl std::error::Error for AppError {}

/// The canonical upper-case name of a status code.
pub fn code_name(code: Code) -> &'static str {
    match code {
        Code::Ok => "OK",
        Code::Cancelled => "CANCELLED",
        Code::Unknown => "UNKNOWN",
        Code::InvalidArgument => "INVALID_ARGUMENT",
        Code::DeadlineExceeded => "DEADLINE_EXCEEDED",
        Code::NotFound => "NOT_FOUND",
        Code::AlreadyExists => "ALREADY_EXISTS",
        Code::PermissionDenied => "PERMISSION_DENIED",
        Code::ResourceExhausted => "RESOURCE_EXHAUSTED",
        Code::FailedPrecondition => "FAILED_PRECONDITION",
        Code::Aborted => "ABORTED",
        Code::OutOfRange => "OUT_OF_RANGE",
        Code::Unimplemented => "UNIMPLEMENTED",
        Code::Internal => "INTERNAL",
        Code::Unavailable => "UNAVAILABLE",
        Code::DataLoss => "DATA_LOSS",
        Code::Unauthenticated => "UNAUTHENTICATED",
    }
}

/// Replaces every occurrence of a secret (an API key) in a message, so a server or transport
/// that echoes one cannot put it on screen or in a log.
pub fn redact(message: &str, secrets: &[&str]) -> String {
    secrets
        .iter()
        .filter(|secret| secret.len() >= 8)
        .fold(message.to_owned(), |text, secret| text.replace(secret, "[redacted key]"))
}

/// The fault behind a status tonic itself produced while decoding an answer (it has no source
/// to downcast, only its text).
fn tonic_fault(code: Code, lower: &str) -> Option<Fault> {
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
fn failure_origin(failure: TransportFailure, raw: &str) -> (Origin, String) {
    match failure {
        TransportFailure::Unreachable => (Origin::Transport, raw.to_owned()),
        TransportFailure::ConnectionBroke => (Origin::Fault(Fault::Cut), raw.to_owned()),
        TransportFailure::NotGrpcWeb { http_status, content_type } => (
            Origin::Fault(Fault::NotGrpcWeb { http_status }),
            describe_not_grpc_web(http_status, content_type.as_deref()),
        ),
        TransportFailure::EndedWithoutStatus => (
            Origin::Fault(Fault::Cut),
            "The response ended without the endpoint's final status (no grpc-status trailer).".to_owned(),
        ),
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
    let essence = content_type
        .and_then(|value| value.split(';').next())
        .map(|value| value.trim().to_ascii_lowercase())
        .unwrap_or_default();
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
fn describe_too_large(raw: &str) -> String {
    let number_after = |marker: &str| -> Option<u64> {
        let rest = &raw[raw.find(marker)? + marker.len()..];
        rest.trim_start().split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
    };
    match (number_after("found"), number_after("limit is:")) {
        (Some(found), Some(limit)) => format!(
            "The endpoint sent a message of {}; this call accepts at most {}.",
            megabytes(found),
            megabytes(limit)
        ),
        _ => raw.to_owned(),
    }
}

fn fault_title(fault: Fault) -> &'static str {
    match fault {
        Fault::NotGrpcWeb { .. } => "The endpoint sent a response that is not gRPC-Web",
        Fault::Garbled => "The endpoint sent a broken gRPC-Web answer",
        Fault::TooLarge => "The answer is too large",
        Fault::BadStatus => "The endpoint's final status is unreadable",
        Fault::Cut => "The answer was cut off",
        Fault::Stalled => "The answer stalled",
    }
}

fn fault_advice(fault: Fault) -> &'static str {
    match fault {
        Fault::NotGrpcWeb { http_status: 502..=504 } => "A proxy or web server in front of the service answered instead of it: try again shortly, and check the endpoint in Settings if it persists.",
        Fault::NotGrpcWeb { .. } => "Something other than the gRPC-Web service answered: check the endpoint in Settings.",
        Fault::Garbled | Fault::BadStatus => "The endpoint does not speak gRPC-Web correctly: check the endpoint in Settings, or report it to whoever runs it.",
        Fault::TooLarge => "Ask for less (fewer or smaller images, a smaller page of results).",
        Fault::Cut => "The answer stopped before it was complete; what arrived is kept. Try again.",
        Fault::Stalled => "The endpoint stopped sending; what arrived is kept. Try again.",
    }
}

/// Longest detail shown; an endpoint's message is untrusted and may be a whole web page.
const MAX_DETAIL_CHARS: usize = 300;

/// A message fit to show: markup tags removed (an HTML error page as a gRPC message), control
/// characters and runs of whitespace collapsed, cut at [`MAX_DETAIL_CHARS`]. (Rendering is
/// as text anyway; this keeps a page's markup from burying the point.)
pub fn clean_detail(message: &str) -> String {
    let mut text = String::with_capacity(message.len().min(4 * MAX_DETAIL_CHARS));
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        let starts_tag = c == '<' && chars.peek().is_some_and(|next| next.is_ascii_alphabetic() || matches!(next, '/' | '!' | '?'));
        if starts_tag {
            // Skip to the tag's end; a tag is a word boundary.
            for skipped in chars.by_ref() {
                if skipped == '>' {
                    break;
                }
            }
            text.push(' ');
        } else {
            text.push(if c.is_control() { ' ' } else { c });
        }
    }
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= MAX_DETAIL_CHARS {
        return collapsed;
    }
    let cut: String = collapsed.chars().take(MAX_DETAIL_CHARS).collect();
    format!("{}…", cut.trim_end())
}

/// A size as the app writes it: "16 MB", "17.2 MB", "640 KB" (binary units, as file sizes are
/// shown everywhere in the app).
pub fn megabytes(bytes: u64) -> String {
    const MB: u64 = 1 << 20;
    if bytes % MB == 0 {
        format!("{} MB", bytes / MB)
    } else if bytes < MB / 10 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_answers_keep_their_code_and_meaning() {
        let status = tonic::Status::unauthenticated("unknown API key");
        let error = AppError::from_status(&status, false, &[]);
        assert_eq!(error.code, Code::Unauthenticated);
        assert_eq!(error.origin, Origin::Service);
        assert_eq!(error.title(), "Authentication failed");
        assert_eq!(error.remedy(), Remedy::CheckSettings);
        assert_eq!(error.code_label(), "UNAUTHENTICATED (16)");
    }

    #[test]
    fn every_code_of_the_reference_table_has_its_own_title() {
        let table = [
            (Code::InvalidArgument, "Invalid request"),
            (Code::Unauthenticated, "Authentication failed"),
            (Code::PermissionDenied, "Access denied"),
            (Code::NotFound, "Not found"),
            (Code::ResourceExhausted, "Rate limited"),
            (Code::Internal, "Server error"),
            (Code::Unavailable, "Service unavailable"),
        ];
        for (code, title) in table {
            let error = AppError::from_status(&tonic::Status::new(code, "x"), false, &[]);
            assert_eq!(error.title(), title, "{code:?}");
            assert!(!error.advice().is_empty());
        }
    }

    #[test]
    fn transport_failures_are_told_apart_from_service_answers() {
        let fetch = tonic::Status::unknown("Failed to fetch");
        assert!(AppError::from_status(&fetch, false, &[]).is_transport());
        let malformed = tonic::Status::internal("malformed response");
        assert!(AppError::from_status(&malformed, false, &[]).is_transport());
        // A real INTERNAL answer from the service stays a service answer.
        let internal = tonic::Status::internal("database is locked");
        let error = AppError::from_status(&internal, false, &[]);
        assert_eq!(error.origin, Origin::Service);
        assert_eq!(error.title(), "Server error");
        // The caller's own knowledge (a downcast source) wins over the message.
        let flagged = tonic::Status::unknown("whatever");
        assert!(AppError::from_status(&flagged, true, &[]).is_transport());
    }

    #[test]
    fn retry_policy_only_retries_transient_failures() {
        let retryable = [Code::Unavailable, Code::ResourceExhausted];
        for code in retryable {
            assert!(AppError::from_status(&tonic::Status::new(code, ""), false, &[]).is_retryable());
        }
        for code in [Code::InvalidArgument, Code::Unauthenticated, Code::PermissionDenied, Code::NotFound] {
            assert!(!AppError::from_status(&tonic::Status::new(code, ""), false, &[]).is_retryable());
        }
    }

    #[test]
    fn secrets_never_reach_the_message() {
        let key = "xai-abcdefghijklmnopqrstuvwxyz0123456789";
        let status = tonic::Status::unauthenticated(format!("bad key {key}"));
        let error = AppError::from_status(&status, false, &[key]);
        assert!(!error.detail.contains(key));
        assert!(!error.to_string().contains(key));
        assert!(error.detail.contains("[redacted key]"));
    }

    #[test]
    fn a_response_that_is_not_grpc_web_says_what_it_was() {
        let status = tonic::Status::unknown("the response is not gRPC-Web (HTTP 502, content type text/html)");
        let failure = TransportFailure::NotGrpcWeb { http_status: 502, content_type: Some("text/html; charset=utf-8".into()) };
        let error = AppError::from_call(&status, Some(failure), &[]);
        assert_eq!(error.title(), "The endpoint sent a response that is not gRPC-Web");
        assert_eq!(error.detail, "The endpoint answered HTTP 502 (Bad Gateway) with an HTML page (text/html) instead of a gRPC-Web answer.");
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
        let huge = tonic::Status::out_of_range("Error, decoded message length too large: found 4294967295 bytes, the limit is: 4194304 bytes");
        let error = AppError::from_call(&huge, None, &[]);
        assert_eq!(error.title(), "The answer is too large");
        assert_eq!(error.detail, "The endpoint sent a message of 4096.0 MB; this call accepts at most 4 MB.");
        let eof = tonic::Status::internal("Unexpected EOF decoding stream.");
        assert_eq!(AppError::from_call(&eof, None, &[]).origin, Origin::Fault(Fault::Cut));
        // An ordinary INTERNAL answer stays the service's.
        assert_eq!(AppError::from_call(&tonic::Status::internal("disk full"), None, &[]).origin, Origin::Service);
    }

    #[test]
    fn an_endpoint_message_with_markup_and_the_key_is_shown_cleaned() {
        let key = "xai-abcdefghijklmnopqrstuvwxyz0123456789";
        let page = format!("<html><head><title>502</title></head><body><h1>Bad\ngateway</h1><p>key={key}</p>{}</body></html>", "x".repeat(1000));
        let error = AppError::from_call(&tonic::Status::unauthenticated(page), None, &[key]);
        assert!(!error.detail.contains(key));
        assert!(!error.detail.contains('<'), "{}", error.detail);
        assert!(error.detail.starts_with("502 Bad gateway key=[redacted key]"), "{}", error.detail);
        assert!(error.detail.chars().count() <= MAX_DETAIL_CHARS + 1);
        assert_eq!(clean_detail("a < b and c > d"), "a < b and c > d", "comparisons are not tags");
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(megabytes(16 << 20), "16 MB");
        assert_eq!(megabytes(18_035_000), "17.2 MB");
        assert_eq!(megabytes(50_000), "49 KB");
    }
}
