//! Time and ids for the app's records, and how long stream processing may hold the page.

/// Longest stretch of stream processing before the page gets a turn (input, rendering).
pub const YIELD_EVERY_MS: f64 = 8.0;

/// How often a streaming run writes what it has so far: a reload loses at most this much.
pub const SAVE_EVERY_MS: f64 = 400.0;

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Milliseconds on the page's monotonic clock (the one animation frames are timed by).
pub fn performance_now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or_else(now_ms, |p| p.now())
}

/// A fresh id: time plus randomness, unique enough for one browser's records.
pub fn new_id() -> String {
    format!("{:x}{:08x}", now_ms() as u64, (js_sys::Math::random() * f64::from(u32::MAX)) as u32)
}
