use http::header::{InvalidHeaderName, InvalidHeaderValue, ToStrError};
use js_sys::Object;
use thiserror::Error;
use wasm_bindgen::{JsCast, JsValue};

/// Error type for `tonic-web-wasm-client`
#[derive(Debug, Error)]
pub enum Error {
    /// Base64 decode error
    #[error("base64 decode error")]
    Base64DecodeError(#[from] base64::DecodeError),
    /// Header parsing error
    #[error("failed to parse headers")]
    HeaderParsingError,
    /// Header value error
    #[error("failed to convert header value to string")]
    HeaderValueError(#[from] ToStrError),
    /// HTTP error
    #[error("HTTP error")]
    HttpError(#[from] http::Error),
    /// Invalid content type
    #[error("invalid content type: {0}")]
    InvalidContentType(String),
    /// Invalid header name
    #[error("invalid header name")]
    InvalidHeaderName(#[from] InvalidHeaderName),
    /// Invalid header value
    #[error("invalid header value")]
    InvalidHeaderValue(#[from] InvalidHeaderValue),
    /// JS API error
    #[error("JS API error: {0}")]
    JsError(String),
    /// Malformed response
    #[error("malformed response")]
    MalformedResponse,
    /// Missing `content-type` header in gRPC response
    #[error("missing content-type header in gRPC response")]
    MissingContentTypeHeader,
    /// Missing response body in HTTP call
    #[error("missing response body in HTTP call")]
    MissingResponseBody,
    /// gRPC error
    #[error("gRPC error")]
    TonicStatusError(#[from] tonic::Status),
    /// (Patched) The response is not gRPC-Web: another content type, e.g. a proxy's HTML error page.
    #[error("the response is not gRPC-Web (HTTP {status}, content type {})", .content_type.as_deref().unwrap_or("missing"))]
    NotGrpcWeb {
        /// The HTTP status.
        status: u16,
        /// The `content-type` it had, if any.
        content_type: Option<String>,
    },
    /// (Patched) Reading the response body failed (the connection broke or was reset).
    #[error("the connection broke while the response was read: {0}")]
    BodyReadError(String),
    /// (Patched) The body ended cleanly between frames without the trailer frame (`grpc-status`).
    #[error("the response ended without its grpc-status trailer")]
    EndedWithoutStatus,
    /// (Patched) The body ended inside a frame: fewer bytes than its length prefix announced.
    #[error("the response ended inside a gRPC-Web frame, before the length its prefix announced")]
    TruncatedFrame,
    /// (Patched) A trailer frame longer than the client buffers.
    #[error("a gRPC-Web trailer frame of {length} bytes (at most {limit} are accepted)")]
    TrailerTooLarge {
        /// Its announced length.
        length: usize,
        /// The limit.
        limit: usize,
    },
}

impl Error {
    /// Initialize js error from js value
    pub(crate) fn js_error(value: JsValue) -> Self {
        let message = js_object_display(&value);

        if message.contains("tonic_web_wasm_client::Error::TimedOut") {
            Self::TonicStatusError(tonic::Status::deadline_exceeded("Request timed out"))
        } else {
            Self::JsError(message)
        }
    }

    /// (Patched) Error from reading the body stream: a timeout stays a timeout, anything else
    /// is a broken connection (upstream reported it like a failed fetch).
    pub(crate) fn body_read_error(value: JsValue) -> Self {
        match Self::js_error(value) {
            Self::JsError(message) => Self::BodyReadError(message),
            other => other,
        }
    }
}

fn js_object_display(option: &JsValue) -> String {
    let object: &Object = option.unchecked_ref();
    ToString::to_string(&object.to_string())
}
