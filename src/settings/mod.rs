//! User settings: the endpoint, the API key, and the theme. The key lives in memory unless the
//! user ticks "remember on this device"; only then is it written to localStorage.
mod page;
mod storage;

use std::fmt;

use leptos::prelude::*;

pub use page::SettingsPage;

use crate::deploy::Deployment;

/// An API key. Its Debug and Display never show the secret, so it cannot leak through a log.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKeySecret(String);

impl ApiKeySecret {
    /// Wraps a key as typed by the user.
    pub fn new(key: String) -> Self {
        ApiKeySecret(key)
    }

    /// The secret itself, for the one place that sends it (the auth interceptor).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// "xai-…Ab3d": enough to recognise the key, not enough to use it.
    pub fn redacted(&self) -> String {
        let tail: String = self.0.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
        let head: String = self.0.chars().take(4).collect();
        if self.0.chars().count() <= 8 {
            "…".to_owned()
        } else {
            format!("{head}…{tail}")
        }
    }
}

impl fmt::Debug for ApiKeySecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKeySecret({})", self.redacted())
    }
}

/// Colour scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Theme {
    /// Follow the operating system.
    #[default]
    System,
    /// Light.
    Light,
    /// Dark.
    Dark,
}

impl Theme {
    /// The value stored and set as `data-theme` on <html>.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// Parses a stored value; unknown values fall back to System.
    pub fn parse(value: &str) -> Theme {
        match value {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::System,
        }
    }
}

/// The settings, as signals. Copy: pass it around freely.
#[derive(Clone, Copy)]
pub struct Settings {
    /// The endpoint as entered; empty means "the page's own origin".
    pub endpoint_input: RwSignal<String>,
    /// The key in memory.
    pub key: RwSignal<Option<ApiKeySecret>>,
    /// Whether the key is also kept in localStorage.
    pub remember_key: RwSignal<bool>,
    /// Colour scheme.
    pub theme: RwSignal<Theme>,
    /// Longest silence (seconds) tolerated inside a stream before it ends as an error.
    pub idle_limit_secs: RwSignal<u32>,
    /// The deployment's endpoint (config.json), used when the user entered none.
    pub deployment_endpoint: RwSignal<Option<String>>,
    /// The widget's endpoint (its host page's attribute): it wins over everything, for this
    /// page only.
    pub widget_endpoint: RwSignal<Option<String>>,
}

impl Settings {
    /// Settings loaded from localStorage, with effects that keep it up to date. An embedded
    /// widget reads them but writes nothing back: its host page's choices (theme, endpoint) must
    /// not change the full app's settings on the same origin.
    pub fn load(deployment: &Deployment) -> Self {
        let saved = storage::load();
        let widget = deployment.embed.as_ref();
        let settings = Settings {
            endpoint_input: RwSignal::new(saved.endpoint),
            // Never in the widget: its host page chooses the endpoint, and a key remembered by
            // the full app on this origin must not go to an endpoint a foreign page picked. The
            // widget relies on the gateway's server-held key.
            key: RwSignal::new(saved.key.filter(|_| widget.is_none()).map(ApiKeySecret::new)),
            remember_key: RwSignal::new(saved.remember_key && widget.is_none()),
            theme: RwSignal::new(widget.and_then(|w| w.theme).unwrap_or_else(|| Theme::parse(&saved.theme))),
            idle_limit_secs: RwSignal::new(saved.idle_limit_secs),
            deployment_endpoint: RwSignal::new(deployment.config.endpoint.clone()),
            widget_endpoint: RwSignal::new(widget.and_then(|w| w.endpoint.clone())),
        };
        if widget.is_some() {
            Effect::new(move |_| storage::apply_theme(settings.theme.get().as_str()));
            return settings;
        }
        Effect::new(move |_| {
            storage::save_endpoint(&settings.endpoint_input.get());
        });
        Effect::new(move |_| {
            let remembered = settings.remember_key.get().then(|| settings.key.get()).flatten();
            storage::save_key(remembered.as_ref().map(ApiKeySecret::expose));
        });
        Effect::new(move |_| {
            storage::save_idle_limit(settings.idle_limit_secs.get());
        });
        Effect::new(move |_| {
            let theme = settings.theme.get();
            storage::save_theme(theme.as_str());
            storage::apply_theme(theme.as_str());
        });
        settings
    }

    /// The endpoint calls go to: the widget's, else the one entered in Settings, else the
    /// deployment's (config.json), else the page's own origin.
    pub fn endpoint(&self) -> String {
        choose_endpoint(self.widget_endpoint.get_untracked(), &self.endpoint_input.get_untracked(), self.default_endpoint())
    }

    /// The endpoint used when the user enters none.
    pub fn default_endpoint(&self) -> String {
        self.deployment_endpoint.get_untracked().unwrap_or_else(storage::page_origin)
    }

    /// The stream watchdog's limit.
    pub fn idle_limit(&self) -> std::time::Duration {
        std::time::Duration::from_secs(u64::from(self.idle_limit_secs.get_untracked().max(1)))
    }

    /// The key for the next call, if any.
    pub fn api_key(&self) -> Option<ApiKeySecret> {
        self.key.get_untracked()
    }
}

/// The endpoint precedence: the widget's, the user's, then the default.
fn choose_endpoint(widget: Option<String>, entered: &str, default: String) -> String {
    let entered = Some(entered.to_owned()).filter(|e| !e.trim().is_empty());
    widget.or(entered).unwrap_or(default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_never_show_in_debug_output() {
        let key = ApiKeySecret::new("xai-0123456789abcdefghijWXYZ".into());
        let shown = format!("{key:?}");
        assert!(!shown.contains("0123456789"));
        assert!(shown.contains("xai-…WXYZ"));
        assert_eq!(ApiKeySecret::new("short".into()).redacted(), "…");
    }

    #[test]
    fn the_widget_then_the_user_then_the_deployment_choose_the_endpoint() {
        let deployed = || "https://deployed.example".to_owned();
        assert_eq!(choose_endpoint(None, "  ", deployed()), "https://deployed.example");
        assert_eq!(choose_endpoint(None, "https://mine.example", deployed()), "https://mine.example");
        let widget = Some("https://widget.example".to_owned());
        assert_eq!(choose_endpoint(widget, "https://mine.example", deployed()), "https://widget.example");
    }

    #[test]
    fn themes_round_trip_through_storage_values() {
        for theme in [Theme::System, Theme::Light, Theme::Dark] {
            assert_eq!(Theme::parse(theme.as_str()), theme);
        }
        assert_eq!(Theme::parse("purple"), Theme::System);
    }
}
