//! Retry policy for calls that failed before any answer arrived: full-jitter exponential backoff
//! within one overall deadline. A stream is never retried once its first message has arrived
//! (the caller enforces that: it only asks this policy before the first message).
use std::time::Duration;

use crate::error::AppError;

/// Backoff state of one logical request.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Delay cap of the first retry; doubled per attempt.
    pub base: Duration,
    /// Largest cap of any delay.
    pub max_delay: Duration,
    /// No retry starts after this much time since the first try.
    pub deadline: Duration,
    attempts: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::new(Duration::from_millis(500), Duration::from_secs(8), Duration::from_secs(30))
    }
}

impl RetryPolicy {
    /// A policy with these bounds.
    pub fn new(base: Duration, max_delay: Duration, deadline: Duration) -> Self {
        RetryPolicy { base, max_delay, deadline, attempts: 0 }
    }

    /// Retries planned so far.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The delay before the next try, or None to give up. `elapsed` is the time since the first
    /// try; `random` is uniform in [0, 1) (full jitter: the delay is uniform in [0, cap)).
    /// RESOURCE_EXHAUSTED is not retried here: it gets a countdown of its own.
    pub fn next_delay(&mut self, error: &AppError, elapsed: Duration, random: f64) -> Option<Duration> {
        let transient = error.is_transport() || error.code == tonic::Code::Unavailable;
        if !transient {
            return None;
        }
        let cap = self.base.saturating_mul(1u32 << self.attempts.min(16)).min(self.max_delay);
        let delay = cap.mul_f64(random.clamp(0.0, 1.0));
        if elapsed + delay >= self.deadline {
            return None;
        }
        self.attempts += 1;
        Some(delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Origin;

    fn unavailable() -> AppError {
        AppError::from_status(&tonic::Status::unavailable("down"), false, &[])
    }

    #[test]
    fn caps_double_up_to_the_maximum() {
        let mut policy = RetryPolicy::default();
        let caps: Vec<_> = (0..6).map(|_| policy.next_delay(&unavailable(), Duration::ZERO, 0.999_999).unwrap()).collect();
        let millis: Vec<u128> = caps.iter().map(|d| d.as_millis()).collect();
        assert_eq!(millis, [499, 999, 1999, 3999, 7999, 7999]);
        assert_eq!(policy.attempts(), 6);
    }

    #[test]
    fn full_jitter_spreads_delays_from_zero_to_the_cap() {
        let mut low = RetryPolicy::default();
        assert_eq!(low.next_delay(&unavailable(), Duration::ZERO, 0.0), Some(Duration::ZERO));
        let mut mid = RetryPolicy::default();
        assert_eq!(mid.next_delay(&unavailable(), Duration::ZERO, 0.5), Some(Duration::from_millis(250)));
    }

    #[test]
    fn the_overall_deadline_ends_the_retries() {
        let mut policy = RetryPolicy::default();
        assert!(policy.next_delay(&unavailable(), Duration::from_millis(29_800), 0.9).is_none());
        assert!(policy.next_delay(&unavailable(), Duration::from_secs(10), 0.9).is_some());
    }

    #[test]
    fn only_transient_failures_are_retried() {
        let mut policy = RetryPolicy::default();
        let transport = AppError { code: tonic::Code::Unknown, origin: Origin::Transport, detail: "Failed to fetch".into() };
        assert!(policy.next_delay(&transport, Duration::ZERO, 0.5).is_some());
        for code in [tonic::Code::Unauthenticated, tonic::Code::InvalidArgument, tonic::Code::ResourceExhausted, tonic::Code::Internal] {
            let error = AppError::from_status(&tonic::Status::new(code, "x"), false, &[]);
            assert!(policy.next_delay(&error, Duration::ZERO, 0.5).is_none(), "{code:?}");
        }
    }
}
