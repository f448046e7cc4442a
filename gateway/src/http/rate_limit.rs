//! Per-client rate limit: a token bucket per client address (see [`ClientAddress`]). A call
//! over the limit is answered RESOURCE_EXHAUSTED with `retry-after: N` metadata and "retry
//! after N s" in the message (the app's retry countdown reads either); other clients are not
//! affected. Idle clients are forgotten, so the table stays bounded.
use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use http::Response;
use tonic::{body::Body as TonicBody, Status};

use super::{
    client::{ClientGuard, ClientGuardLayer},
    refusal,
};

/// Clients tracked at most; beyond that the least recently seen ones are forgotten (a forgotten
/// client starts again with a full bucket). About 64 bytes each.
const MAX_TRACKED_CLIENTS: usize = 100_000;
/// How often buckets that have refilled completely (equivalent to no entry) are dropped.
const SWEEP_INTERVAL: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// Token buckets of all clients.
#[derive(Debug)]
pub struct RateLimiter {
    /// Tokens added per second.
    rate: f64,
    /// Bucket size: calls a fresh client may make at once.
    burst: f64,
    max_clients: usize,
    state: Mutex<Buckets>,
}

#[derive(Debug)]
struct Buckets {
    by_client: HashMap<IpAddr, Bucket>,
    last_sweep: Instant,
}

impl RateLimiter {
    /// `rate` calls per second on average, `burst` at once (both > 0).
    pub fn new(rate: f64, burst: u32) -> Self {
        Self::with_capacity(rate, burst, MAX_TRACKED_CLIENTS)
    }

    fn with_capacity(rate: f64, burst: u32, max_clients: usize) -> Self {
        let state = Buckets { by_client: HashMap::new(), last_sweep: Instant::now() };
        Self { rate, burst: f64::from(burst.max(1)), max_clients, state: Mutex::new(state) }
    }

    /// Takes a token for `client` at `now`, or says how long until one is available.
    pub fn try_acquire(&self, client: IpAddr, now: Instant) -> Result<(), Duration> {
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if now.saturating_duration_since(state.last_sweep) >= SWEEP_INTERVAL {
            self.forget_full(&mut state.by_client, now);
            state.last_sweep = now;
        }
        if !state.by_client.contains_key(&client) && state.by_client.len() >= self.max_clients {
            self.forget_full(&mut state.by_client, now);
            forget_least_recent(&mut state.by_client, self.max_clients - self.max_clients / 10 - 1);
        }
        let bucket = state.by_client.entry(client).or_insert(Bucket { tokens: self.burst, updated: now });
        bucket.tokens = self.refilled(bucket, now);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) / self.rate))
        }
    }

    /// Clients currently tracked.
    pub fn tracked_clients(&self) -> usize {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).by_client.len()
    }

    fn refilled(&self, bucket: &Bucket, now: Instant) -> f64 {
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        (bucket.tokens + elapsed * self.rate).min(self.burst)
    }

    /// Drops the buckets that are full again: a new entry would be the same.
    fn forget_full(&self, by_client: &mut HashMap<IpAddr, Bucket>, now: Instant) {
        by_client.retain(|_, bucket| self.refilled(bucket, now) < self.burst);
    }
}

/// Keeps the `keep` most recently seen clients (only reached when many clients are limited at
/// the same time, e.g. a flood from many addresses).
fn forget_least_recent(by_client: &mut HashMap<IpAddr, Bucket>, keep: usize) {
    if by_client.len() <= keep {
        return;
    }
    let mut seen: Vec<Instant> = by_client.values().map(|bucket| bucket.updated).collect();
    let cut = seen.len() - keep;
    let (_, threshold, _) = seen.select_nth_unstable(cut);
    let threshold = *threshold;
    by_client.retain(|_, bucket| bucket.updated >= threshold);
}

/// The status of a call refused for `wait`: whole seconds, rounded up, at least 1.
pub fn rate_limited(wait: Duration) -> Response<TonicBody> {
    let seconds = wait.as_secs_f64().ceil().max(1.0) as u64;
    let status = Status::resource_exhausted(format!("rate limit: too many calls from your address; retry after {seconds} s"));
    refusal(status, Some(seconds))
}

/// Refuses calls over the limit (`None`: no limit).
pub type RateLimitLayer = ClientGuardLayer<Arc<RateLimiter>>;

impl ClientGuard for Arc<RateLimiter> {
    type Admission = ();

    fn admit(&self, client: IpAddr, path: &str) -> Result<(), Box<Response<TonicBody>>> {
        self.try_acquire(client, Instant::now()).map_err(|wait| {
            tracing::debug!("rate limit: refused a call to {path} from {client}");
            Box::new(rate_limited(wait))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([10, 0, 0, last])
    }

    #[test]
    fn a_burst_then_the_refill_rate() {
        let limiter = RateLimiter::new(2.0, 3);
        let start = Instant::now();
        for _ in 0..3 {
            limiter.try_acquire(ip(1), start).unwrap();
        }
        let wait = limiter.try_acquire(ip(1), start).unwrap_err();
        assert_eq!(wait, Duration::from_millis(500));
        // Another client is not affected.
        limiter.try_acquire(ip(2), start).unwrap();
        // Half a second later one token is back, and only one.
        let later = start + Duration::from_millis(500);
        limiter.try_acquire(ip(1), later).unwrap();
        assert!(limiter.try_acquire(ip(1), later).is_err());
    }

    #[test]
    fn refusals_do_not_cost_tokens() {
        let limiter = RateLimiter::new(1.0, 1);
        let start = Instant::now();
        limiter.try_acquire(ip(1), start).unwrap();
        for _ in 0..100 {
            assert!(limiter.try_acquire(ip(1), start + Duration::from_millis(500)).is_err());
        }
        limiter.try_acquire(ip(1), start + Duration::from_secs(1)).unwrap();
    }

    #[test]
    fn idle_clients_are_forgotten() {
        let limiter = RateLimiter::new(10.0, 5);
        let start = Instant::now();
        for last in 0..50 {
            limiter.try_acquire(ip(last), start).unwrap();
        }
        assert_eq!(limiter.tracked_clients(), 50);
        // After the sweep interval every bucket is full again: only the new caller remains.
        limiter.try_acquire(ip(200), start + SWEEP_INTERVAL).unwrap();
        assert_eq!(limiter.tracked_clients(), 1);
    }

    #[test]
    fn the_table_is_bounded_even_when_every_client_is_busy() {
        let limiter = RateLimiter::with_capacity(0.001, 1, 100);
        let start = Instant::now();
        for n in 0..1000u32 {
            let client = IpAddr::from((0x0a00_0000 + n).to_be_bytes());
            let _ = limiter.try_acquire(client, start + Duration::from_millis(u64::from(n)));
            assert!(limiter.tracked_clients() <= 100);
        }
        // The most recent clients are still limited.
        let recent = IpAddr::from((0x0a00_0000u32 + 999).to_be_bytes());
        assert!(limiter.try_acquire(recent, start + Duration::from_millis(1000)).is_err());
    }

    #[test]
    fn the_refusal_says_when_to_retry() {
        let response = rate_limited(Duration::from_millis(1200));
        assert_eq!(response.headers()["retry-after"], "2");
        assert_eq!(response.headers()["grpc-status"], "8");
        let message = response.headers()["grpc-message"].to_str().unwrap();
        assert!(message.contains("retry%20after%202%20s"), "{message}");
    }
}
