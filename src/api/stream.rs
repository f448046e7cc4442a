//! A server stream whose failures arrive as [`AppError`]s, guarded by an idle watchdog: a stream
//! that goes silent for longer than its idle limit ends as an error instead of hanging. (A total
//! timeout would kill long, healthy streams; the per-call deadline only bounds the first bytes.)
use std::time::Duration;

use futures_util::future::{select, Either};

use super::Api;
use crate::error::{AppError, Fault, Origin};

/// The messages of one server stream. Dropping it aborts the underlying fetch, which the server
/// sees as a cancelled call.
pub struct ResponseStream<T> {
    inner: tonic::Streaming<T>,
    api: Api,
    idle_limit: Duration,
}

impl<T> ResponseStream<T> {
    /// A stream that tolerates at most `idle_limit` of silence between two messages.
    pub(super) fn new(inner: tonic::Streaming<T>, api: Api, idle_limit: Duration) -> Self {
        ResponseStream { inner, api, idle_limit }
    }

    /// The next message; `None` when the stream ended with status OK.
    pub async fn next(&mut self) -> Option<Result<T, AppError>> {
        let message = Box::pin(self.inner.message());
        let silence = Box::pin(gloo_timers::future::sleep(self.idle_limit));
        match select(message, silence).await {
            Either::Left((Ok(Some(message)), _)) => Some(Ok(message)),
            Either::Left((Ok(None), _)) => None,
            Either::Left((Err(status), _)) => Some(Err(self.api.error(&status))),
            Either::Right(_) => Some(Err(idle_error(self.idle_limit))),
        }
    }
}

/// The error of a stream that went silent.
pub fn idle_error(idle_limit: Duration) -> AppError {
    AppError {
        code: tonic::Code::DeadlineExceeded,
        origin: Origin::Fault(Fault::Stalled),
        detail: format!("the stream sent nothing for {} s and was stopped", idle_limit.as_secs()),
    }
}
