//! The document title of each page ("grok-4 — Models — xai-web"), so tabs, history and screen
//! readers can tell the pages apart. The embedded widget lives in a host's page and never
//! touches its title.
use leptos::prelude::*;

use crate::deploy::EmbedOptions;

const APP_NAME: &str = "xai-web";

/// The title for a page named by `parts`, most specific first; empty parts are left out (a
/// detail page's name before it is known).
pub fn document_title(parts: &[&str]) -> String {
    parts.iter().copied().filter(|p| !p.trim().is_empty()).chain([APP_NAME]).collect::<Vec<_>>().join(" — ")
}

/// Keeps the document title at `parts()` while the calling page is shown (reactive: a detail
/// page's title follows its route parameter).
pub fn use_page_title(parts: impl Fn() -> Vec<String> + 'static) {
    if use_context::<EmbedOptions>().is_some() {
        return;
    }
    Effect::new(move |_| {
        let parts = parts();
        let title = document_title(&parts.iter().map(String::as_str).collect::<Vec<_>>());
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(&title);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::document_title;

    #[test]
    fn the_page_comes_first_and_the_app_last() {
        assert_eq!(document_title(&["Chat"]), "Chat — xai-web");
        assert_eq!(document_title(&["grok-4", "Models"]), "grok-4 — Models — xai-web");
    }

    #[test]
    fn empty_parts_are_left_out() {
        assert_eq!(document_title(&["", "Models"]), "Models — xai-web");
        assert_eq!(document_title(&[]), "xai-web");
    }
}
