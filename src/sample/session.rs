//! One sampling run: unary or streamed into a live answer, stoppable. The stream comes through
//! the API facade's [`ResponseStream`](crate::api::ResponseStream), so a stream that goes silent
//! ends with the same idle-watchdog error as in Chat. Failures before any answer are retried as
//! in Chat (the shared [`open_with_retries`]); once a chunk has arrived, never.
use futures_util::future::{AbortHandle, Abortable};
use leptos::{prelude::*, task::spawn_local};

use super::answer::SampleAnswer;
use crate::{
    api::Api,
    chat::{
        retry::{open_with_retries, RetryWait},
        state::now_ms,
    },
    error::AppError,
    proto::RawSampleRequest,
};

/// Longest stretch of stream processing before the page gets a turn (as in Chat).
const YIELD_EVERY_MS: f64 = 8.0;

/// Where a run is.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum RunPhase {
    /// Nothing sent yet.
    #[default]
    Idle,
    /// Sent, nothing back yet.
    Waiting,
    /// A try failed with UNAVAILABLE or in transport before any answer; the next starts soon.
    Retrying { delay_ms: u64, attempt: u32 },
    /// Rate limited before any answer; the next try starts in `seconds_left`.
    RateLimited { seconds_left: u64 },
    /// Text is arriving.
    Streaming,
    /// Every choice finished.
    Done,
    /// The user stopped it; what arrived stays.
    Stopped,
    /// The call failed; what arrived (if anything) stays.
    Failed(AppError),
}

impl RunPhase {
    /// Whether a call is under way.
    pub fn busy(&self) -> bool {
        matches!(self, RunPhase::Waiting | RunPhase::Retrying { .. } | RunPhase::RateLimited { .. } | RunPhase::Streaming)
    }

    /// The `data-phase` value tests and styles read.
    pub fn name(&self) -> &'static str {
        match self {
            RunPhase::Idle => "idle",
            RunPhase::Waiting => "waiting",
            RunPhase::Retrying { .. } => "retrying",
            RunPhase::RateLimited { .. } => "rate-limited",
            RunPhase::Streaming => "streaming",
            RunPhase::Done => "done",
            RunPhase::Stopped => "stopped",
            RunPhase::Failed(_) => "failed",
        }
    }
}

/// The page's run state: the answer so far, the phase, and how to stop.
#[derive(Clone, Copy)]
pub struct SampleSession {
    /// The choices so far (None before the first run).
    pub answer: RwSignal<Option<SampleAnswer>>,
    /// Where the run is.
    pub phase: RwSignal<RunPhase>,
    abort: StoredValue<Option<AbortHandle>>,
}

impl Default for SampleSession {
    fn default() -> Self {
        SampleSession { answer: RwSignal::new(None), phase: RwSignal::new(RunPhase::Idle), abort: StoredValue::new(None) }
    }
}

impl SampleSession {
    /// Starts a run (stopping one under way).
    pub fn start(self, api: Api, request: RawSampleRequest, stream: bool) {
        self.stop();
        let n = request.n.unwrap_or(1).max(1) as usize;
        self.answer.set(Some(SampleAnswer::expecting(n)));
        self.phase.set(RunPhase::Waiting);
        let (handle, registration) = AbortHandle::new_pair();
        self.abort.set_value(Some(handle));
        let work = Abortable::new(self.run(api, request, stream), registration);
        spawn_local(async move {
            // Aborting drops the stream, which aborts the fetch: the server sees the call cancelled.
            if work.await.is_err() {
                self.phase.set(RunPhase::Stopped);
            }
        });
    }

    /// Stops the run under way, if any.
    pub fn stop(self) {
        if let Some(handle) = self.abort.get_value() {
            handle.abort();
        }
        self.abort.set_value(None);
    }

    /// Shows a retry wait in the phase.
    fn show(self, wait: RetryWait) {
        self.phase.set(match wait {
            RetryWait::Backoff { delay_ms, attempt } => RunPhase::Retrying { delay_ms, attempt },
            RetryWait::RateLimited { seconds_left } => RunPhase::RateLimited { seconds_left },
            RetryWait::Trying => RunPhase::Waiting,
        });
    }

    async fn run(self, api: Api, request: RawSampleRequest, stream: bool) {
        if !stream {
            // A unary call has no partial answer, so any failure is "before the first message".
            let open = || {
                let (api, request) = (api.clone(), request.clone());
                async move { api.raw_sample(request).await }
            };
            match open_with_retries(open, move |wait| self.show(wait)).await {
                Ok(response) => {
                    self.answer.set(Some(SampleAnswer::from_response(response)));
                    self.phase.set(RunPhase::Done);
                }
                Err(error) => self.phase.set(RunPhase::Failed(error)),
            }
            return;
        }
        // The first chunk is read inside the retried part: a status arriving as the stream's
        // first item is still "before any answer".
        let open = || {
            let (api, request) = (api.clone(), request.clone());
            async move {
                let mut chunks = api.raw_sample_stream(request).await?;
                match chunks.next().await {
                    Some(Ok(first)) => Ok((chunks, Some(first))),
                    None => Ok((chunks, None)),
                    Some(Err(error)) => Err(error),
                }
            }
        };
        let (mut chunks, first) = match open_with_retries(open, move |wait| self.show(wait)).await {
            Ok(opened) => opened,
            Err(error) => return self.phase.set(RunPhase::Failed(error)),
        };
        let mut next = first.map(Ok);
        let mut slice_start = now_ms();
        while let Some(item) = next {
            match item {
                Ok(chunk) => {
                    if self.phase.get_untracked() != RunPhase::Streaming {
                        self.phase.set(RunPhase::Streaming);
                    }
                    self.answer.update(|answer| answer.get_or_insert_with(SampleAnswer::default).apply(chunk));
                    if now_ms() - slice_start >= YIELD_EVERY_MS {
                        gloo_timers::future::TimeoutFuture::new(0).await;
                        slice_start = now_ms();
                    }
                }
                Err(error) => return self.phase.set(RunPhase::Failed(error)),
            }
            next = chunks.next().await;
        }
        self.phase.set(RunPhase::Done);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_waits_keep_the_run_busy_so_stop_stays_available() {
        let retrying = RunPhase::Retrying { delay_ms: 300, attempt: 1 };
        let limited = RunPhase::RateLimited { seconds_left: 4 };
        assert!(retrying.busy() && limited.busy());
        assert_eq!((retrying.name(), limited.name()), ("retrying", "rate-limited"));
        assert!(!RunPhase::Stopped.busy());
    }
}
