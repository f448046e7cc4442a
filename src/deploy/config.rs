//! The runtime config file, `config.json` beside index.html. A deployment edits it instead of
//! rebuilding: `{"endpoint": "https://grpc.example.com", "defaultModel": "grok-4",
//! "maxRequestBytes": 16777216}`. Every key is optional; Settings still override the first two
//! for one user.
use serde::Deserialize;

use crate::api::endpoint;

/// The file's name, fetched relative to the page's base.
pub const CONFIG_FILE: &str = "config.json";

/// What a deployment can set at run time.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct RuntimeConfig {
    /// The gRPC-Web endpoint; empty or absent means the page's own origin.
    pub endpoint: Option<String>,
    /// The model chats start with when the user has not picked one.
    pub default_model: Option<String>,
    /// The largest request body the endpoint accepts, in bytes: the gateway's
    /// `--max-request-bytes` (16 MiB when absent). The app refuses larger requests before
    /// sending them.
    pub max_request_bytes: Option<u64>,
}

impl RuntimeConfig {
    /// Parses and checks the file, with a message that names the problem.
    pub fn parse(text: &str) -> Result<RuntimeConfig, String> {
        let mut config: RuntimeConfig = serde_json::from_str(text).map_err(|error| format!("{CONFIG_FILE} is not valid: {error}"))?;
        config.endpoint = config.endpoint.filter(|e| !e.trim().is_empty());
        config.default_model = config.default_model.filter(|m| !m.trim().is_empty());
        if let Some(entered) = &config.endpoint {
            let normalized = endpoint::normalize(entered).map_err(|error| format!("{CONFIG_FILE}: endpoint {entered:?}: {error}"))?;
            config.endpoint = Some(normalized);
        }
        if config.max_request_bytes == Some(0) {
            return Err(format!("{CONFIG_FILE}: maxRequestBytes must be above 0"));
        }
        Ok(config)
    }

    /// The request size limit in force.
    pub fn max_request_bytes(&self) -> u64 {
        self.max_request_bytes.unwrap_or(crate::api::DEFAULT_MAX_REQUEST_BYTES)
    }
}

/// The fetch of the config file that index.html started before the app's code loaded (a
/// promise of a Response, or of null if it failed), taken once: a later call fetches anew.
#[cfg(target_arch = "wasm32")]
fn early_fetch(window: &web_sys::Window) -> Option<js_sys::Promise> {
    use wasm_bindgen::JsCast;
    let key = wasm_bindgen::JsValue::from_str("xaiConfigFetch");
    let started = js_sys::Reflect::get(window, &key).ok()?;
    let _ = js_sys::Reflect::delete_property(window, &key);
    started.dyn_into::<js_sys::Promise>().ok()
}

/// Fetches the config file. No file (404) gives the defaults; a broken one gives an error.
/// Bounded in time: a slow static host must not keep the app from starting.
#[cfg(target_arch = "wasm32")]
pub async fn fetch() -> Result<RuntimeConfig, String> {
    use futures_util::future::{select, Either};
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    let load = async {
        let window = web_sys::window().ok_or("no window")?;
        let init = web_sys::RequestInit::new();
        // Revalidate: a deployment that edits the file wants the change seen on the next load.
        init.set_cache(web_sys::RequestCache::NoCache);
        let request = early_fetch(&window).unwrap_or_else(|| window.fetch_with_str_and_init(CONFIG_FILE, &init));
        let response = JsFuture::from(request).await.map_err(|_| format!("{CONFIG_FILE} could not be fetched"))?;
        let response: web_sys::Response = response.dyn_into().map_err(|_| format!("{CONFIG_FILE} could not be fetched"))?;
        if response.status() == 404 {
            return Ok(RuntimeConfig::default());
        }
        if !response.ok() {
            return Err(format!("{CONFIG_FILE}: HTTP {}", response.status()));
        }
        let text =
            JsFuture::from(response.text().map_err(|_| "unreadable body")?).await.map_err(|_| format!("{CONFIG_FILE}: unreadable body"))?;
        RuntimeConfig::parse(&text.as_string().unwrap_or_default())
    };
    let timeout = gloo_timers::future::TimeoutFuture::new(3_000);
    match select(Box::pin(load), timeout).await {
        Either::Left((result, _)) => result.map_err(|e: String| e),
        Either::Right(_) => Err(format!("{CONFIG_FILE} took longer than 3 s; using the defaults")),
    }
}

/// Host builds have no config file.
#[cfg(not(target_arch = "wasm32"))]
pub async fn fetch() -> Result<RuntimeConfig, String> {
    Ok(RuntimeConfig::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_files_are_checked() {
        assert_eq!(RuntimeConfig::parse("{}").unwrap(), RuntimeConfig::default());
        let config = RuntimeConfig::parse(r#"{"endpoint": "https://grpc.example.com/", "defaultModel": "grok-4"}"#).unwrap();
        assert_eq!(config.endpoint.as_deref(), Some("https://grpc.example.com"));
        assert_eq!(config.default_model.as_deref(), Some("grok-4"));
        assert_eq!(RuntimeConfig::parse(r#"{"endpoint": ""}"#).unwrap().endpoint, None);
        let typo = RuntimeConfig::parse(r#"{"endpiont": "x"}"#).unwrap_err();
        assert!(typo.contains("endpiont"), "{typo}");
        assert!(RuntimeConfig::parse(r#"{"endpoint": "ftp://x"}"#).unwrap_err().contains("ftp://x"));
        assert!(RuntimeConfig::parse("not json").is_err());
    }

    #[test]
    fn the_request_size_limit_defaults_to_the_gateways() {
        assert_eq!(RuntimeConfig::default().max_request_bytes(), 16 * 1024 * 1024);
        let config = RuntimeConfig::parse(r#"{"maxRequestBytes": 1048576}"#).unwrap();
        assert_eq!(config.max_request_bytes(), 1_048_576);
        assert!(RuntimeConfig::parse(r#"{"maxRequestBytes": 0}"#).unwrap_err().contains("maxRequestBytes"));
        assert!(RuntimeConfig::parse(r#"{"maxRequestBytes": "16MiB"}"#).is_err());
    }
}
