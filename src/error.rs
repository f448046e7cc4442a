//! The app's one error type. It keeps the gRPC status code, tells transport failures (the request
//! never got a service answer) apart from service answers, and knows what each code means to a
//! user, following the status table of the service reference.
mod fault;
mod text;

use std::fmt;

use tonic::Code;

use fault::{describe_too_large, failure_origin, fault_advice, fault_title, tonic_fault};
pub use fault::{Fault, TransportFailure};
pub use text::{clean_detail, megabytes};

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

/// Where an error is shown, which says what its advice can point to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShownOn {
    /// A page of the console other than Settings.
    Page,
    /// The console's Settings page.
    Settings,
    /// The embedded widget: no Settings page, its settings are the embedding site's.
    Widget,
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
                    (Origin::Transport, text::unreachable_detail(&raw))
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
                return "The request did not get an answer: check your connection and the endpoint in Settings, then try again. An endpoint on another site works only where this deployment allows it (its operator lists the endpoints the page may call).";
            }
            Origin::Fault(fault) => return fault_advice(fault),
            Origin::Client if self.code == Code::OutOfRange => return "Nothing was sent: make it smaller as said above.",
            _ => {}
        }
        match self.code {
            Code::InvalidArgument | Code::OutOfRange => "Check the input named above and send again.",
            Code::Unauthenticated => "The API key is missing, wrong or deleted: enter a valid key in Settings.",
            Code::PermissionDenied => {
                "This API key is not allowed to make this call: use a key with the right permissions (ACLs) in Settings."
            }
            Code::NotFound => "It may have been deleted or renamed.",
            Code::ResourceExhausted => "Too many requests: wait a moment before trying again.",
            Code::Unavailable => "The service is temporarily unavailable: try again shortly.",
            Code::DeadlineExceeded => "The call took too long: try again, or ask for less.",
            Code::Cancelled => "The call was stopped before it finished.",
            Code::Unimplemented => "The configured endpoint does not offer this call.",
            Code::Internal | Code::Unknown | Code::DataLoss => {
                "Something went wrong on the server: try again, and report it if it persists."
            }
            Code::FailedPrecondition | Code::Aborted | Code::AlreadyExists => "Refresh and try again.",
            Code::Ok => "",
        }
    }

    /// What the user can do next, said for where it is shown: on Settings itself "in Settings"
    /// becomes "here"; in the widget, whose settings are the embedding site's, the user is told
    /// so. "Open Settings" is offered on the console's other pages only (see `offers_settings`).
    pub fn advice_at(&self, shown: ShownOn) -> String {
        let advice = self.advice();
        match shown {
            ShownOn::Page => advice.to_owned(),
            ShownOn::Settings => advice.replace(" in Settings", " here"),
            ShownOn::Widget => advice.replace(" in Settings", " in the settings this site gives the chat"),
        }
    }

    /// Whether the error panel links to Settings (on the console's pages but Settings itself).
    pub fn offers_settings(&self, shown: ShownOn) -> bool {
        self.remedy() == Remedy::CheckSettings && shown == ShownOn::Page
    }

    /// Whether the detail is the app's own words, to show as they are (a refusal before
    /// sending), rather than a service's or a transport's text, which goes under "Details".
    pub fn detail_is_plain(&self) -> bool {
        self.origin == Origin::Client
    }

    /// Whether two errors have one cause (same code, same kind), so a page says it once: a bad
    /// key fails the model list and the call alike.
    pub fn same_cause(&self, other: &AppError) -> bool {
        self.code == other.code && self.kind() == other.kind()
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
    secrets.iter().filter(|secret| secret.len() >= 8).fold(message.to_owned(), |text, secret| text.replace(secret, "[redacted key]"))
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
    fn on_settings_and_in_the_widget_the_advice_never_sends_the_user_to_settings() {
        let statuses = [
            tonic::Status::unauthenticated("bad key"),
            tonic::Status::permission_denied("no acl"),
            tonic::Status::unknown("Failed to fetch"),
        ];
        for status in statuses {
            let error = AppError::from_status(&status, false, &[]);
            for shown in [ShownOn::Settings, ShownOn::Widget] {
                let advice = error.advice_at(shown);
                assert!(!advice.contains(" in Settings"), "{advice}");
                assert!(!error.offers_settings(shown));
            }
            assert!(error.advice_at(ShownOn::Widget).contains("this site"));
            assert!(error.advice_at(ShownOn::Page).contains("Settings"));
        }
        assert!(AppError::from_status(&tonic::Status::unauthenticated("x"), false, &[]).offers_settings(ShownOn::Page));
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
}
