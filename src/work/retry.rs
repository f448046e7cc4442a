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
    rate_limited: u32,
}

/// Rate-limited tries before giving up.
const MAX_RATE_LIMITED_TRIES: u32 = 3;
/// Wait before the first retry of a rate-limited call when the server says nothing.
const RATE_LIMIT_WAIT: Duration = Duration::from_secs(5);

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::new(Duration::from_millis(500), Duration::from_secs(8), Duration::from_secs(30))
    }
}

impl RetryPolicy {
    /// A policy with these bounds.
    pub fn new(base: Duration, max_delay: Duration, deadline: Duration) -> Self {
        RetryPolicy { base, max_delay, deadline, attempts: 0, rate_limited: 0 }
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

impl RetryPolicy {
    /// For RESOURCE_EXHAUSTED: how long to count down before the next try, or None to give up.
    /// The server's own hint ("retry after 12 s") wins; otherwise 5 s, doubling per try.
    pub fn rate_limit_wait(&mut self, error: &AppError) -> Option<Duration> {
        if error.code != tonic::Code::ResourceExhausted || error.is_transport() || self.rate_limited >= MAX_RATE_LIMITED_TRIES {
            return None;
        }
        let wait = retry_after_hint(&error.detail).unwrap_or(RATE_LIMIT_WAIT * (1 << self.rate_limited));
        self.rate_limited += 1;
        Some(wait.min(Duration::from_secs(120)))
    }
}

/// What a caller shows while [`open_with_retries`] waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryWait {
    /// Backing off after a transient failure; the next try is retry number `attempt`.
    Backoff { delay_ms: u64, attempt: u32 },
    /// Rate limited: the next try starts in this many seconds.
    RateLimited { seconds_left: u64 },
    /// The wait is over; a new try is under way.
    Trying,
}

/// Opens a call with retries before any answer arrived: `open` makes one try (for a stream it
/// also reads the first message, so a status arriving as the first item counts as "before");
/// `show` hears every wait, so the page can say "retrying in N s" and Stop can cancel (by
/// dropping this future). Gives up with the last error.
pub async fn open_with_retries<T, Fut>(mut open: impl FnMut() -> Fut, show: impl Fn(RetryWait)) -> Result<T, AppError>
where
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    let mut policy = RetryPolicy::default();
    let started = super::clock::now_ms();
    loop {
        let error = match open().await {
            Ok(opened) => return Ok(opened),
            Err(error) => error,
        };
        if let Some(wait) = policy.rate_limit_wait(&error) {
            for seconds_left in (1..=wait.as_secs().max(1)).rev() {
                show(RetryWait::RateLimited { seconds_left });
                gloo_timers::future::sleep(Duration::from_secs(1)).await;
            }
            show(RetryWait::Trying);
            continue;
        }
        let elapsed = Duration::from_millis((super::clock::now_ms() - started).max(0.0) as u64);
        let delay = policy.next_delay(&error, elapsed, js_sys::Math::random()).ok_or(error)?;
        show(RetryWait::Backoff { delay_ms: delay.as_millis() as u64, attempt: policy.attempts() });
        gloo_timers::future::sleep(delay).await;
        show(RetryWait::Trying);
    }
}

/// Reads "retry after 12 s" / "retry in 3s" / "retry_after=7" from an error message.
fn retry_after_hint(message: &str) -> Option<Duration> {
    let lower = message.to_ascii_lowercase();
    let start = lower.find("retry")?;
    let digits: String = lower[start..].chars().skip_while(|c| !c.is_ascii_digit()).take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok().map(Duration::from_secs)
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
    fn rate_limits_count_down_from_the_hint_or_a_doubling_default() {
        let mut policy = RetryPolicy::default();
        let hinted = AppError::from_status(&tonic::Status::resource_exhausted("slow down: retry after 12 s"), false, &[]);
        assert_eq!(policy.rate_limit_wait(&hinted), Some(Duration::from_secs(12)));
        let plain = AppError::from_status(&tonic::Status::resource_exhausted("quota"), false, &[]);
        assert_eq!(policy.rate_limit_wait(&plain), Some(Duration::from_secs(10)));
        assert_eq!(policy.rate_limit_wait(&plain), Some(Duration::from_secs(20)));
        assert_eq!(policy.rate_limit_wait(&plain), None, "gives up after three tries");
        assert_eq!(RetryPolicy::default().rate_limit_wait(&unavailable()), None);
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
