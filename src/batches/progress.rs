//! What a batch's progress bar and status line show, from its state counts.
use crate::proto::{Batch, BatchState, BatchStatus};

/// A batch's progress in whole percent of its requests, by outcome.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Requests in the batch.
    pub total: i64,
    /// Requests with an outcome (success, error or cancelled).
    pub finished: i64,
    /// Finished share, 0..=100 (floored, so 100 means truly all).
    pub percent: u32,
    /// Widths of the bar's segments, 0..=100 each; they sum to at most 100.
    pub success_percent: u32,
    /// Width of the failed segment.
    pub error_percent: u32,
    /// Width of the cancelled segment.
    pub cancelled_percent: u32,
}

fn share(part: i64, total: i64) -> u32 {
    if total <= 0 {
        return 0;
    }
    (part.clamp(0, total) * 100 / total) as u32
}

impl Progress {
    /// The progress of these counts. Counts that do not add up (a server mid-update) never give
    /// more than 100 %.
    pub fn of(state: &BatchState) -> Self {
        let total = state.num_requests.max(0);
        let finished = (total - state.num_pending.max(0)).clamp(0, total);
        let success_percent = share(state.num_success, total);
        let error_percent = share(state.num_error, total).min(100 - success_percent);
        let cancelled_percent = share(state.num_cancelled, total).min(100 - success_percent - error_percent);
        Progress { total, finished, percent: share(finished, total), success_percent, error_percent, cancelled_percent }
    }

    /// "3 of 5 done" with the failures and cancellations when there are any.
    pub fn summary(state: &BatchState) -> String {
        let progress = Progress::of(state);
        let mut text = format!("{} of {} done", progress.finished, progress.total);
        let mut extra = Vec::new();
        if state.num_error > 0 {
            extra.push(format!("{} failed", state.num_error));
        }
        if state.num_cancelled > 0 {
            extra.push(format!("{} cancelled", state.num_cancelled));
        }
        if !extra.is_empty() {
            text.push_str(&format!(" ({})", extra.join(", ")));
        }
        text
    }
}

/// Whether the batch may still change: the server derives the status from the counts and the
/// cancellation, so only "in progress" (or an unknown status) needs polling.
pub fn is_active(batch: &Batch) -> bool {
    matches!(batch.status(), BatchStatus::InProgress | BatchStatus::Unspecified) && batch.cancel_time == 0
}

/// "in progress", "done", "cancelled": the status badge and the `data-status` tests read.
pub fn status_label(batch: &Batch) -> &'static str {
    match batch.status() {
        BatchStatus::Done => "done",
        BatchStatus::Cancelled => "cancelled",
        BatchStatus::InProgress => "in progress",
        BatchStatus::Unspecified => "unknown",
    }
}

/// A fingerprint of everything polling can change, so the poller knows whether work moved.
pub fn fingerprint(batch: &Batch) -> (i32, i64, i64, i64, i64, i64, i64) {
    let state = batch.state.unwrap_or_default();
    let cost = batch.cost_breakdown.as_ref().map_or(0, |cost| cost.total_cost_usd_ticks);
    (batch.status, state.num_requests, state.num_pending, state.num_success, state.num_error, state.num_cancelled, cost)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(total: i64, pending: i64, success: i64, error: i64, cancelled: i64) -> BatchState {
        BatchState { num_requests: total, num_pending: pending, num_success: success, num_error: error, num_cancelled: cancelled }
    }

    #[test]
    fn percentages_come_from_the_counts() {
        let progress = Progress::of(&state(4, 1, 2, 1, 0));
        assert_eq!((progress.total, progress.finished, progress.percent), (4, 3, 75));
        assert_eq!((progress.success_percent, progress.error_percent, progress.cancelled_percent), (50, 25, 0));
        assert_eq!(Progress::of(&state(3, 1, 2, 0, 0)).percent, 66, "floored: 100 only when all are done");
        assert_eq!(Progress::of(&state(3, 0, 3, 0, 0)).percent, 100);
    }

    #[test]
    fn an_empty_or_inconsistent_batch_stays_within_bounds() {
        assert_eq!(Progress::of(&state(0, 0, 0, 0, 0)), Progress::default());
        let odd = Progress::of(&state(2, 5, 3, 3, 3));
        assert_eq!(odd.finished, 0);
        assert!(odd.success_percent + odd.error_percent + odd.cancelled_percent <= 100);
    }

    #[test]
    fn the_summary_mentions_failures_and_cancellations_only_when_there_are_some() {
        assert_eq!(Progress::summary(&state(5, 2, 3, 0, 0)), "3 of 5 done");
        assert_eq!(Progress::summary(&state(5, 0, 2, 1, 2)), "5 of 5 done (1 failed, 2 cancelled)");
    }

    #[test]
    fn only_unfinished_uncancelled_batches_are_active() {
        let mut batch = Batch { status: BatchStatus::InProgress as i32, ..Default::default() };
        assert!(is_active(&batch));
        assert_eq!(status_label(&batch), "in progress");
        batch.status = BatchStatus::Done as i32;
        assert!(!is_active(&batch));
        batch.status = BatchStatus::Cancelled as i32;
        assert!(!is_active(&batch));
        assert_eq!(status_label(&batch), "cancelled");
    }
}
