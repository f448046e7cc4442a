//! One sampling run: unary or streamed into a live answer, stoppable. The stream comes through
//! the API facade's [`ResponseStream`](crate::api::ResponseStream), so a stream that goes silent
//! ends with the same idle-watchdog error as in Chat. Failures before any answer are retried as
//! in Chat (the shared [`open_with_retries`]); once a chunk has arrived, never.
//!
//! The app owns the session (see [`crate::work`]): a run keeps going while other pages are
//! shown, and the Sample page, when it comes back, shows the run and the form as they are. Both
//! are kept in the tab's sessionStorage too ([`super::saved`]): the form as it changes, a run when its phase
//! changes and every [`SAVE_EVERY_MS`] while it streams, so a reload loses neither.
use futures_util::future::{AbortHandle, Abortable};
use leptos::{prelude::*, task::spawn_local};

use super::{
    answer::SampleAnswer,
    params::SampleParams,
    saved::{RunEnd, SavedRun, SavedSample, KEY},
};
use crate::{
    api::Api,
    proto::RawSampleRequest,
    storage::local,
    work::{
        clock::{now_ms, SAVE_EVERY_MS, YIELD_EVERY_MS},
        live_calls::{self, LiveCall},
        phase::Phase,
        retry::{open_with_retries, RetryWait},
    },
};

/// The playground's run and form: the answer so far, the phase, how to stop, and what was typed.
#[derive(Clone, Copy)]
pub struct SampleSession {
    /// The choices so far (None before the first run).
    pub answer: RwSignal<Option<SampleAnswer>>,
    /// Where the run is.
    pub phase: RwSignal<Phase>,
    /// The prompt as typed.
    pub prompt: RwSignal<String>,
    /// The parameters as typed.
    pub params: RwSignal<SampleParams>,
    /// Whether to stream.
    pub streaming: RwSignal<bool>,
    abort: StoredValue<Option<AbortHandle>>,
    /// The last run's call id in [`live_calls`] (read only while the run is saved as running).
    call: StoredValue<Option<String>>,
}

impl SampleSession {
    /// The session as this tab's last page left it (a run under way then is now interrupted,
    /// unless it goes on in the tab this one was copied from), kept from now on.
    pub fn restored() -> Self {
        let mut saved = local::get_for_tab::<SavedSample>(KEY).unwrap_or_else(|| SavedSample { streaming: true, ..Default::default() });
        // A run another tab makes (this one a copy of it) is that tab's, not cut short here.
        if saved.run.as_ref().is_some_and(|run| run.end == RunEnd::Running) && live_calls::running_elsewhere(saved.call.as_deref()) {
            saved.run = None;
        }
        let phase = match saved.run.as_ref().map(|run| run.end) {
            Some(RunEnd::Running) => Phase::Interrupted,
            Some(RunEnd::Done) => Phase::Done,
            Some(RunEnd::Stopped) => Phase::Stopped,
            Some(RunEnd::Failed) | None => Phase::Idle,
        };
        let session = SampleSession {
            answer: RwSignal::new(saved.run.as_ref().map(SavedRun::answer)),
            phase: RwSignal::new(phase),
            prompt: RwSignal::new(saved.prompt),
            params: RwSignal::new(saved.params),
            streaming: RwSignal::new(saved.streaming),
            abort: StoredValue::new(None),
            call: StoredValue::new(None),
        };
        // The form as it is typed and each change of phase; the text in between is saved by
        // the run itself (reading the answer here would save on every chunk).
        Effect::new(move |_| {
            session.prompt.track();
            session.params.track();
            session.streaming.track();
            session.phase.track();
            session.save();
        });
        session
    }

    /// Writes the form and the run as they are now.
    fn save(self) {
        // A run the page's going aborts was cut short: the next page says so.
        if live_calls::page_is_going() {
            return;
        }
        let end = self.phase.with_untracked(|phase| match phase {
            Phase::Done => RunEnd::Done,
            Phase::Stopped => RunEnd::Stopped,
            Phase::Failed(_) | Phase::Idle => RunEnd::Failed,
            _ => RunEnd::Running,
        });
        let saved = SavedSample {
            prompt: self.prompt.get_untracked(),
            params: self.params.get_untracked(),
            streaming: self.streaming.get_untracked(),
            run: self.answer.with_untracked(|answer| answer.as_ref().map(|answer| SavedRun::of(answer, end))),
            call: self.call.get_value(),
        };
        local::set_for_tab(KEY, &saved);
    }

    /// Starts a run (stopping one under way).
    pub fn start(self, api: Api, request: RawSampleRequest, stream: bool) {
        self.stop();
        let n = request.n.unwrap_or(1).max(1) as usize;
        self.answer.set(Some(SampleAnswer::expecting(n)));
        self.phase.set(Phase::Waiting);
        let (handle, registration) = AbortHandle::new_pair();
        self.abort.set_value(Some(handle));
        let live = LiveCall::begin();
        self.call.set_value(Some(live.id().to_owned()));
        let work = Abortable::new(self.run(api, request, stream), registration);
        spawn_local(async move {
            // Aborting drops the stream, which aborts the fetch: the server sees the call cancelled.
            let stopped = work.await.is_err();
            // Off the list (also when this future is dropped with the page).
            drop(live);
            if stopped {
                self.phase.set(Phase::Stopped);
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

    async fn run(self, api: Api, request: RawSampleRequest, stream: bool) {
        if !stream {
            // A unary call has no partial answer, so any failure is "before the first message".
            let open = || {
                let (api, request) = (api.clone(), request.clone());
                async move { api.raw_sample(request).await }
            };
            match open_with_retries(open, move |wait: RetryWait| self.phase.set(wait.into())).await {
                Ok(response) => {
                    self.answer.set(Some(SampleAnswer::from_response(response)));
                    self.phase.set(Phase::Done);
                }
                Err(error) => self.phase.set(Phase::Failed(error)),
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
        let (mut chunks, first) = match open_with_retries(open, move |wait: RetryWait| self.phase.set(wait.into())).await {
            Ok(opened) => opened,
            Err(error) => return self.phase.set(Phase::Failed(error)),
        };
        let mut next = first.map(Ok);
        let mut slice_start = now_ms();
        let mut saved_at = slice_start;
        while let Some(item) = next {
            match item {
                Ok(chunk) => {
                    if self.phase.get_untracked() != Phase::Streaming {
                        self.phase.set(Phase::Streaming);
                    }
                    self.answer.update(|answer| answer.get_or_insert_with(SampleAnswer::default).apply(chunk));
                    if now_ms() - saved_at >= SAVE_EVERY_MS {
                        self.save();
                        saved_at = now_ms();
                    }
                    if now_ms() - slice_start >= YIELD_EVERY_MS {
                        gloo_timers::future::TimeoutFuture::new(0).await;
                        slice_start = now_ms();
                    }
                }
                Err(error) => return self.phase.set(Phase::Failed(error)),
            }
            next = chunks.next().await;
        }
        self.phase.set(Phase::Done);
    }
}
