//! What every upstream call shares: the outgoing request (key and deadline, nothing else from
//! the caller) and the way upstream statuses come back.
use std::error::Error as _;

use futures_util::StreamExt as _;
use tonic::{metadata::MetadataValue, Status, Streaming};

use crate::backend::{BoxStream, Caller};

/// The upstream request for `message`: `authorization: Bearer <key>` and the caller's remaining
/// deadline as `grpc-timeout`. The caller's other metadata (cookies, x-fault, user agents, …)
/// stays behind: it belongs to the browser hop.
pub fn request<T>(caller: &Caller, message: T) -> Result<tonic::Request<T>, Status> {
    let mut request = tonic::Request::new(message);
    let mut bearer = MetadataValue::try_from(format!("Bearer {}", caller.credential.expose()))
        .map_err(|_| Status::unauthenticated("the API key holds characters that cannot travel as gRPC metadata"))?;
    bearer.set_sensitive(true);
    request.metadata_mut().insert("authorization", bearer);
    if let Some(deadline) = caller.deadline {
        let remaining = deadline.saturating_duration_since(tokio::time::Instant::now());
        if remaining.is_zero() {
            return Err(Status::deadline_exceeded("the call's deadline passed before it could be sent to the upstream API"));
        }
        request.set_timeout(remaining);
    }
    Ok(request)
}

/// An upstream failure as the caller sees it. A status the upstream sent keeps its code,
/// message and details; its other response headers (the upstream hop's own) are dropped.
/// A failure tonic produced locally (connection, DNS, TLS, undecodable answer) carries a
/// source: its message says it happened on the way to the upstream API, with tonic's summary
/// ("transport error"); the causes (host names, addresses, certificate details) go to the log
/// under an id the caller gets.
pub fn status(status: Status) -> Status {
    let code = status.code();
    let message = match status.source() {
        Some(source) => {
            // Error chains often repeat their causes in their own text: keep each part once.
            let mut chain = status.message().to_string();
            let mut next: Option<&dyn std::error::Error> = Some(source);
            while let Some(cause) = next {
                let text = cause.to_string();
                if !chain.contains(&text) {
                    chain.push_str(": ");
                    chain.push_str(&text);
                }
                next = cause.source();
            }
            let id = crate::error_id::new_id();
            tracing::warn!(error_id = %id, "upstream call failed locally: {code:?}: {chain}");
            crate::error_id::public_message(&format!("upstream API call failed: {}", status.message()), &id)
        }
        None => status.message().to_string(),
    };
    Status::with_details(code, message, status.details().to_vec().into())
}

/// The upstream's answer, its errors mapped by [`status`].
pub fn unary<T>(result: Result<tonic::Response<T>, Status>) -> Result<T, Status> {
    result.map(tonic::Response::into_inner).map_err(status)
}

/// An upstream server stream translated message by message. Dropping the returned stream
/// drops the upstream one, which resets the upstream HTTP/2 stream: a caller that walks away
/// cancels the upstream call.
pub fn stream<U, T, F>(result: Result<tonic::Response<Streaming<U>>, Status>, mut translate: F) -> Result<BoxStream<T>, Status>
where
    U: Send + 'static,
    T: Send + 'static,
    F: FnMut(U) -> T + Send + 'static,
{
    let upstream = unary(result)?;
    Ok(Box::pin(upstream.map(move |item| item.map(&mut translate).map_err(status))))
}
