//! How this copy of the app is deployed: the base path it is served under, the runtime config
//! file beside index.html, and whether it runs as an embedded widget. One build serves many
//! deployments, so all of this is read at startup and none of it is compiled in.
mod base;
mod config;
mod embed;

pub use base::{base_from_document_uri, href, route_of, set_base};
pub use config::{RuntimeConfig, CONFIG_FILE};
pub use embed::{is_widget_route, EmbedOptions, EMBED_ROUTE};

/// What startup learned about the deployment.
#[derive(Clone, Debug, Default)]
pub struct Deployment {
    /// The path the app is served under, without a trailing slash ("" at the root).
    pub base: String,
    /// The runtime config file's settings (defaults when there is none).
    pub config: RuntimeConfig,
    /// Why the config file could not be used, shown on the Settings page.
    pub config_error: Option<String>,
    /// Set when the page is the embedded widget (`<base>/embed?...`, see [`is_widget_route`], or
    /// any page of the `widget` build).
    pub embed: Option<EmbedOptions>,
}

impl Deployment {
    /// Reads the base path, the widget parameters and the config file. Never fails: a missing
    /// or broken config file leaves the defaults (the page's own origin) and says why.
    pub async fn detect() -> Deployment {
        let (base, path) = browser::base_and_path();
        set_base(&base);
        // The widget build is the widget at any path (a static host may serve it for others).
        let widget = cfg!(feature = "widget") || is_widget_route(route_of(&path, &base));
        let embed = widget.then(|| EmbedOptions::from_query(browser::query_pairs()));
        let (config, config_error) = match config::fetch().await {
            Ok(config) => (config, None),
            Err(error) => (RuntimeConfig::default(), Some(error)),
        };
        Deployment { base, config, config_error, embed }
    }
}

#[cfg(target_arch = "wasm32")]
mod browser {
    /// The base path (from the `<base>` element index.html sets) and the page's path.
    pub fn base_and_path() -> (String, String) {
        let document = web_sys::window().and_then(|w| w.document());
        let base_uri = document.as_ref().and_then(|d| d.base_uri().ok().flatten()).unwrap_or_default();
        let path = web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default();
        (super::base_from_document_uri(&base_uri), path)
    }

    /// The page's query parameters.
    pub fn query_pairs() -> Vec<(String, String)> {
        let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
        let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
            return Vec::new();
        };
        super::EmbedOptions::PARAMETERS.iter().filter_map(|name| params.get(name).map(|value| ((*name).to_owned(), value))).collect()
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod browser {
    pub fn base_and_path() -> (String, String) {
        (String::new(), "/".into())
    }

    pub fn query_pairs() -> Vec<(String, String)> {
        Vec::new()
    }
}
