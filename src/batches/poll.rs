//! Polling while a batch works: the backoff schedule (plain, tested) and the loop that runs it.
//! The loop belongs to the component that started it: its cleanup aborts it, so leaving the page
//! stops the calls. Unlike a chat answer, nothing is lost that way: the batch runs at the server
//! whether or not anyone watches, and the page shows its state afresh when it comes back, so
//! polling for a page nobody sees would only spend calls (and rate limit) for nothing. An
//! aborted loop is never polled again, so it never touches the left page's disposed signals.
use std::{future::Future, time::Duration};

use futures_util::future::{AbortHandle, Abortable};
use leptos::task::spawn_local;

use crate::error::AppError;

/// Delay before the next poll: `base` after a poll that saw a change, doubling up to `max`
/// while nothing changes (or the call failed).
#[derive(Clone, Debug, PartialEq)]
pub struct Backoff {
    base: Duration,
    max: Duration,
    next: Duration,
}

impl Default for Backoff {
    /// 1 s, 2 s, 4 s, 8 s, 8 s…
    fn default() -> Self {
        Backoff::new(Duration::from_secs(1), Duration::from_secs(8))
    }
}

impl Backoff {
    /// A schedule from `base` doubling to `max`.
    pub fn new(base: Duration, max: Duration) -> Self {
        Backoff { base, max, next: base }
    }

    /// The wait before the next poll, given whether the last poll saw progress.
    pub fn next_delay(&mut self, changed: bool) -> Duration {
        if changed {
            self.next = self.base;
        }
        let delay = self.next;
        self.next = (self.next * 2).min(self.max);
        delay
    }
}

/// Calls `fetch` now, then again after [`Backoff`] delays for as long as `keep_polling` says so
/// about the latest value. Every outcome goes to `deliver`. A failure that retrying cannot fix
/// ends the polling; a transient one waits longer. Abort the returned handle to stop.
pub fn poll<T, K, Fut>(
    fetch: impl Fn() -> Fut + 'static,
    keep_polling: impl Fn(&T) -> bool + 'static,
    fingerprint: impl Fn(&T) -> K + 'static,
    deliver: impl Fn(Result<T, AppError>) + 'static,
) -> AbortHandle
where
    T: 'static,
    K: PartialEq + 'static,
    Fut: Future<Output = Result<T, AppError>> + 'static,
{
    let (handle, registration) = AbortHandle::new_pair();
    let work = async move {
        let mut backoff = Backoff::default();
        let mut last: Option<K> = None;
        loop {
            let changed = match fetch().await {
                Ok(value) => {
                    let keep = keep_polling(&value);
                    let print = fingerprint(&value);
                    let changed = last.as_ref() != Some(&print);
                    last = Some(print);
                    deliver(Ok(value));
                    if !keep {
                        return;
                    }
                    changed
                }
                Err(error) => {
                    let retry = error.is_retryable();
                    deliver(Err(error));
                    if !retry {
                        return;
                    }
                    false
                }
            };
            gloo_timers::future::sleep(backoff.next_delay(changed)).await;
        }
    };
    spawn_local(async move {
        let _ = Abortable::new(work, registration).await;
    });
    handle
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seconds(backoff: &mut Backoff, changes: &[bool]) -> Vec<u64> {
        changes.iter().map(|changed| backoff.next_delay(*changed).as_secs()).collect()
    }

    #[test]
    fn doubles_from_one_to_eight_seconds_while_nothing_changes() {
        let mut backoff = Backoff::default();
        assert_eq!(seconds(&mut backoff, &[true, false, false, false, false, false]), [1, 2, 4, 8, 8, 8]);
    }

    #[test]
    fn progress_brings_the_delay_back_to_one_second() {
        let mut backoff = Backoff::default();
        assert_eq!(seconds(&mut backoff, &[false, false, false, true, false]), [1, 2, 4, 1, 2]);
    }
}
