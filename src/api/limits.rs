//! The request size limit, agreed end to end: the gateway refuses request bodies over its
//! `--max-request-bytes` (16 MiB unless configured), so the app refuses before sending anything
//! larger and says why. The limit comes from the deployment's `config.json`
//! (`maxRequestBytes`); the facade checks every call, and pages check earlier where they can
//! (the chat composer, before a message joins the conversation).
use tonic::Code;

use crate::error::{megabytes, AppError};

/// The gateway's default `--max-request-bytes`.
pub const DEFAULT_MAX_REQUEST_BYTES: u64 = 16 * 1024 * 1024;
/// The gRPC frame header (flag and length) before each message in the request body.
const FRAME_HEADER_BYTES: u64 = 5;

/// What is being sent, for the refusal's advice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestKind {
    /// A chat message, sent with the whole conversation before it (images included).
    ChatTurn,
    /// An image edit with its source and reference images.
    ImageEdit,
    /// Batch requests.
    Batch,
    /// Anything else.
    Other,
}

/// The request body's size in bytes as the gateway counts it (binary gRPC-Web: one frame).
pub fn request_bytes(message: &impl prost::Message) -> u64 {
    message.encoded_len() as u64 + FRAME_HEADER_BYTES
}

/// Refuses a request body over `limit`, naming both sizes and what to do.
pub fn check_request_bytes(bytes: u64, limit: u64, kind: RequestKind) -> Result<(), AppError> {
    if bytes <= limit {
        return Ok(());
    }
    let (size, limit) = (megabytes(bytes), megabytes(limit));
    let message = match kind {
        RequestKind::ChatTurn => format!(
            "This message with its earlier images is {size}; the gateway accepts at most {limit}. Remove an image or start a new chat."
        ),
        RequestKind::ImageEdit => format!(
            "These images are {size} once encoded; the gateway accepts at most {limit}. Use a smaller image or fewer reference images."
        ),
        RequestKind::Batch => {
            format!("These batch requests are {size}; the gateway accepts at most {limit}. Send fewer requests at a time.")
        }
        RequestKind::Other => format!("This request is {size}; the gateway accepts at most {limit}."),
    };
    Err(AppError::client(Code::OutOfRange, message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::{ChatCompletionRequest, Message};

    #[test]
    fn the_size_is_the_encoded_message_plus_its_frame_header() {
        let request = ChatCompletionRequest { model: "grok-4".into(), ..Default::default() };
        assert_eq!(request_bytes(&request), prost::Message::encoded_len(&request) as u64 + 5);
        let big = ChatCompletionRequest {
            messages: vec![Message { content: "x".repeat(3_000_000), ..Default::default() }],
            ..Default::default()
        };
        assert!(request_bytes(&big) > 3_000_000);
    }

    #[test]
    fn a_request_over_the_limit_is_refused_with_both_sizes_and_a_way_out() {
        assert!(check_request_bytes(DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_REQUEST_BYTES, RequestKind::ChatTurn).is_ok());
        let refusal = check_request_bytes(18_035_000, DEFAULT_MAX_REQUEST_BYTES, RequestKind::ChatTurn).unwrap_err();
        assert_eq!(
            refusal.detail,
            "This message with its earlier images is 17.2 MB; the gateway accepts at most 16 MB. Remove an image or start a new chat."
        );
        assert_eq!(refusal.title(), "Too large to send");
        assert!(!refusal.is_retryable());
        for kind in [RequestKind::ImageEdit, RequestKind::Batch, RequestKind::Other] {
            let refusal = check_request_bytes(2 << 20, 1 << 20, kind).unwrap_err();
            assert!(refusal.detail.contains("2 MB") && refusal.detail.contains("at most 1 MB"), "{}", refusal.detail);
        }
    }
}
