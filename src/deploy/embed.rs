//! The embedded widget's parameters. widget.js turns the host page's `<xai-chat>` attributes
//! into the query of `<base>/embed`, which this reads.
use crate::settings::Theme;

/// The widget's route.
pub const EMBED_ROUTE: &str = "/embed";

/// Whether an app route (the page's path without the base) is the widget's: exactly `/embed`
/// or `/embed/`. Only this page may be framed by other sites (the gateway answers it with
/// `frame-ancestors *`, see gateway/src/http/app_headers.rs, which uses the same definition),
/// so it must show the widget alone: `/models/embed`, `/embed/x` or `//embed` are ordinary
/// pages of the full app, which no other site may frame.
pub fn is_widget_route(route: &str) -> bool {
    route == EMBED_ROUTE || route.strip_suffix('/') == Some(EMBED_ROUTE)
}
/// The longest system prompt a host page may set through the URL.
const MAX_SYSTEM_PROMPT_CHARS: usize = 4_000;

/// What the host page asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmbedOptions {
    /// The model to chat with; the first offered when absent.
    pub model: Option<String>,
    /// The system prompt of the widget's conversation.
    pub system_prompt: String,
    /// The colour scheme; the visitor's system setting when absent.
    pub theme: Option<Theme>,
    /// The gRPC-Web endpoint; the deployment's when absent.
    pub endpoint: Option<String>,
    /// The heading shown above the chat.
    pub title: String,
    /// Tells widgets on one host page apart (the element's id), so each keeps its own chat.
    pub widget_id: String,
}

impl EmbedOptions {
    /// The query parameters read.
    pub const PARAMETERS: &'static [&'static str] = &["model", "system", "theme", "endpoint", "title", "widget"];

    /// Reads the query parameters; unknown ones are ignored, over-long ones are cut.
    pub fn from_query(pairs: impl IntoIterator<Item = (String, String)>) -> EmbedOptions {
        let mut options = EmbedOptions { title: "Chat".into(), widget_id: "default".into(), ..Default::default() };
        for (name, value) in pairs {
            let value = value.trim().to_owned();
            if value.is_empty() {
                continue;
            }
            match name.as_str() {
                "model" => options.model = Some(value),
                "system" => options.system_prompt = value.chars().take(MAX_SYSTEM_PROMPT_CHARS).collect(),
                "theme" => options.theme = Some(Theme::parse(&value)),
                "endpoint" => options.endpoint = Some(value),
                "title" => options.title = value.chars().take(80).collect(),
                "widget" => options.widget_id = value.chars().take(64).collect(),
                _ => {}
            }
        }
        options
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn only_the_exact_embed_route_is_the_widget() {
        assert!(is_widget_route("/embed"));
        assert!(is_widget_route("/embed/"));
        for route in ["/", "/models/embed", "/chat/embed", "/embed/x", "//embed", "/embed//", "/embedded", "/Embed"] {
            assert!(!is_widget_route(route), "{route}");
        }
    }

    #[test]
    fn widget_parameters_are_read_and_bounded() {
        let options = EmbedOptions::from_query(pairs(&[
            ("model", "grok-4"),
            ("system", "Be brief."),
            ("theme", "dark"),
            ("title", "Support"),
            ("evil", "x"),
        ]));
        assert_eq!(options.model.as_deref(), Some("grok-4"));
        assert_eq!(options.system_prompt, "Be brief.");
        assert_eq!(options.theme, Some(Theme::Dark));
        assert_eq!(options.title, "Support");
        assert_eq!(options.endpoint, None);
        let long = "x".repeat(10_000);
        assert_eq!(EmbedOptions::from_query(pairs(&[("system", &long)])).system_prompt.len(), MAX_SYSTEM_PROMPT_CHARS);
        assert_eq!(EmbedOptions::from_query(pairs(&[("model", "  ")])).model, None);
        assert_eq!(EmbedOptions::from_query(Vec::new()).title, "Chat");
        assert_eq!(EmbedOptions::from_query(Vec::new()).widget_id, "default");
        assert_eq!(EmbedOptions::from_query(pairs(&[("widget", "help")])).widget_id, "help");
    }
}
