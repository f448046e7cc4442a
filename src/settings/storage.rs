//! Settings in the browser's localStorage (`crate::storage::local`). Host builds have no browser: reads give
//! defaults and writes do nothing, so the logic above stays testable with `cargo test`.
use crate::storage::local;

const ENDPOINT: &str = "xai-web.endpoint";
const KEY: &str = "xai-web.api-key";
const THEME: &str = "xai-web.theme";
const IDLE_LIMIT: &str = "xai-web.idle-limit-secs";
/// Default longest silence inside a stream, in seconds.
pub const DEFAULT_IDLE_LIMIT_SECS: u32 = 60;

/// What localStorage holds.
pub struct Saved {
    pub endpoint: String,
    pub key: Option<String>,
    pub remember_key: bool,
    pub theme: String,
    pub idle_limit_secs: u32,
}

fn in_browser() -> bool {
    cfg!(target_arch = "wasm32")
}

pub fn load() -> Saved {
    if !in_browser() {
        return Saved {
            endpoint: String::new(),
            key: None,
            remember_key: false,
            theme: "system".into(),
            idle_limit_secs: DEFAULT_IDLE_LIMIT_SECS,
        };
    }
    let key: Option<String> = local::get(KEY);
    Saved {
        endpoint: local::get(ENDPOINT).unwrap_or_default(),
        remember_key: key.is_some(),
        key,
        theme: local::get(THEME).unwrap_or_else(|| "system".into()),
        idle_limit_secs: local::get(IDLE_LIMIT).unwrap_or(DEFAULT_IDLE_LIMIT_SECS),
    }
}

pub fn save_endpoint(endpoint: &str) {
    if in_browser() {
        if endpoint.trim().is_empty() {
            local::delete(ENDPOINT);
        } else {
            local::set(ENDPOINT, endpoint);
        }
    }
}

/// Writes the key, or removes it when it is not to be remembered.
pub fn save_key(key: Option<&str>) {
    if in_browser() {
        match key {
            Some(key) => local::set(KEY, key),
            None => local::delete(KEY),
        }
    }
}

pub fn save_idle_limit(seconds: u32) {
    if in_browser() {
        local::set(IDLE_LIMIT, &seconds);
    }
}

pub fn save_theme(theme: &str) {
    if in_browser() {
        local::set(THEME, theme);
    }
}

/// Sets `data-theme` on <html>; the stylesheet does the rest.
pub fn apply_theme(theme: &str) {
    if in_browser() {
        if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = root.set_attribute("data-theme", theme);
        }
    }
}

/// The page's own origin, the default endpoint (the gateway serves the app and the API).
pub fn page_origin() -> String {
    if !in_browser() {
        return "http://127.0.0.1:8080".into();
    }
    web_sys::window().and_then(|window| window.location().origin().ok()).unwrap_or_default()
}
