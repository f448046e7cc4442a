//! Internal failures (database, DNS, TLS, upstream transport, a panic) as callers see them: the
//! details go to the log under a short random id, the caller gets the id and no details, which
//! may name files, hosts or addresses of the deployment.
use std::fmt::Display;

use rand::Rng as _;
use tonic::{Code, Status};

/// A fresh id for one failure, e.g. `3f9a0c1d`.
pub fn new_id() -> String {
    format!("{:08x}", rand::rng().random::<u32>())
}

/// The text a caller gets for failure `id` of `what`.
pub fn public_message(what: &str, id: &str) -> String {
    format!("{what}: internal error (id {id}); the gateway's log has details")
}

/// INTERNAL for `what` failing with `error`, logged with its id.
pub fn internal(what: &str, error: &dyn Display) -> Status {
    hidden(Code::Internal, what, error)
}

/// A status of `code` for `what` failing with `error`: the error is logged with an id, the
/// caller gets only the id.
pub fn hidden(code: Code, what: &str, error: &dyn Display) -> Status {
    let id = new_id();
    tracing::error!(error_id = %id, "{what}: {error}");
    Status::new(code, public_message(what, &id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callers_get_the_id_and_not_the_details() {
        let status = internal("storage", &"database error: no such table: batches (/srv/.data/gateway.sqlite)");
        assert_eq!(status.code(), Code::Internal);
        let message = status.message();
        assert!(message.starts_with("storage: internal error (id ") && message.ends_with("); the gateway's log has details"), "{message}");
        assert!(!message.contains("table") && !message.contains("/srv"), "{message}");
        assert_ne!(new_id(), new_id());
    }
}
