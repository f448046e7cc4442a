//! Where a call is: waiting, retrying, streaming, finished. Shared by every kind of work (a chat
//! answer, a sampling run), so pages say the same things the same way.
use super::retry::RetryWait;
use crate::error::AppError;

/// Where the current request is (a chat answer, or a sampling run).
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Phase {
    #[default]
    Idle,
    Waiting,
    /// Waiting this many milliseconds before retry number `attempt`.
    Retrying {
        delay_ms: u64,
        attempt: u32,
    },
    /// Rate limited: the next try starts when the countdown reaches zero.
    RateLimited {
        seconds_left: u64,
    },
    Streaming,
    Done,
    Stopped,
    /// Under way when the page was reloaded or closed: what had arrived was kept.
    Interrupted,
    Failed(AppError),
}

impl Phase {
    /// A request is under way.
    pub fn busy(&self) -> bool {
        matches!(self, Phase::Waiting | Phase::Retrying { .. } | Phase::RateLimited { .. } | Phase::Streaming)
    }

    /// A stable name for styling and tests.
    pub fn name(&self) -> &'static str {
        match self {
            Phase::Idle => "idle",
            Phase::Waiting => "waiting",
            Phase::Retrying { .. } => "retrying",
            Phase::RateLimited { .. } => "rate-limited",
            Phase::Streaming => "streaming",
            Phase::Done => "done",
            Phase::Stopped => "stopped",
            Phase::Interrupted => "interrupted",
            Phase::Failed(_) => "failed",
        }
    }

    /// What the page says while a failed try waits for the next one.
    pub fn retry_notice(&self) -> Option<String> {
        match self {
            Phase::Retrying { delay_ms, attempt } => {
                Some(format!("Service unavailable: retrying in {:.1} s (retry {attempt}); Stop cancels.", *delay_ms as f64 / 1000.0))
            }
            Phase::RateLimited { seconds_left } => Some(format!("Rate limited: trying again in {seconds_left} s; Stop cancels.")),
            _ => None,
        }
    }
}

impl From<RetryWait> for Phase {
    fn from(wait: RetryWait) -> Self {
        match wait {
            RetryWait::Backoff { delay_ms, attempt } => Phase::Retrying { delay_ms, attempt },
            RetryWait::RateLimited { seconds_left } => Phase::RateLimited { seconds_left },
            RetryWait::Trying => Phase::Waiting,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_waits_keep_the_run_busy_so_stop_stays_available() {
        let retrying = Phase::Retrying { delay_ms: 300, attempt: 1 };
        let limited = Phase::RateLimited { seconds_left: 4 };
        assert!(retrying.busy() && limited.busy());
        assert_eq!((retrying.name(), limited.name()), ("retrying", "rate-limited"));
        assert!(!Phase::Stopped.busy());
        assert_eq!(retrying.retry_notice().unwrap(), "Service unavailable: retrying in 0.3 s (retry 1); Stop cancels.");
        assert_eq!(Phase::from(RetryWait::RateLimited { seconds_left: 4 }), limited);
        assert_eq!(Phase::Streaming.retry_notice(), None);
    }
}
