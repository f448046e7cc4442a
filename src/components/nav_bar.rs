//! The navigation bar: one link per page, on one row at every width (at phone width the links
//! scroll sideways inside the bar, the current one kept in view). A page whose work
//! goes on while another is shown (an answer, a sampling run, an image being drawn) has a dot
//! beside its link until the work ends. At the end, the button of the keyboard shortcut sheet.
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use wasm_bindgen::JsCast;

use super::ShortcutSheetButton;
use crate::{chat::state::ChatState, images::state::ImagesState, sample::session::SampleSession, work::phase::Phase};

const PAGES: &[(&str, &str)] = &[
    ("/chat", "Chat"),
    ("/images", "Images"),
    ("/models", "Models"),
    ("/batches", "Batches"),
    ("/keys", "Keys"),
    ("/sample", "Sample"),
    ("/settings", "Settings"),
];

/// Whether the work of the page at `path` is under way, and how to say so.
fn work_under_way(path: &str) -> Option<(Signal<bool>, &'static str)> {
    match path {
        "/chat" => {
            let chat = use_context::<ChatState>()?;
            Some((Signal::derive(move || chat.live.with(Option::is_some)), "An answer is being written"))
        }
        "/images" => {
            let images = use_context::<ImagesState>()?;
            Some((Signal::derive(move || images.create_run.pending() || images.edit_run.pending()), "Images are being made"))
        }
        "/sample" => {
            let sample = use_context::<SampleSession>()?;
            Some((Signal::derive(move || sample.phase.with(Phase::busy)), "A sample is being written"))
        }
        _ => None,
    }
}

/// Whether the link to `page` (a path such as "/chat") is the current page when the location's
/// path is `location` under the deployment's `base` ("" or "/tools/xai"). The app opens on the
/// chat at `/`, so the Chat link is current there too; a detail page ("/models/grok-4") makes
/// its list's link current.
pub fn is_current_page(page: &str, location: &str, base: &str) -> bool {
    let path = location.strip_prefix(base).filter(|rest| rest.is_empty() || rest.starts_with('/')).unwrap_or(location);
    let path = path.trim_end_matches('/');
    let path = if path.is_empty() { "/chat" } else { path };
    path == page || path.strip_prefix(page).is_some_and(|rest| rest.starts_with('/'))
}

/// Scrolls the bar's links so that the current page's link is in view (at phone width they do
/// not all fit). The links' offsets are relative to the bar (`position: relative` in the CSS).
fn reveal_current_link() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(link) =
        document.query_selector(".nav nav a[aria-current=\"page\"]").ok().flatten().and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    let Some(bar) = link.parent_element() else { return };
    let (left, right) = (link.offset_left(), link.offset_left() + link.offset_width());
    if left < bar.scroll_left() || right > bar.scroll_left() + bar.client_width() {
        bar.set_scroll_left(left - 8);
    }
}

/// The top navigation.
#[component]
pub fn NavBar() -> impl IntoView {
    let location = use_location();
    Effect::new(move |_| {
        location.pathname.track();
        // Once the link of the new page is marked current.
        request_animation_frame(reveal_current_link);
    });
    view! {
        <header class="nav">
            <span class="brand">"xai-web"</span>
            <nav aria-label="Pages">
                {PAGES
                    .iter()
                    .map(|(path, label)| {
                        let busy = work_under_way(path).map(|(busy, note)| view! {
                            <Show when=move || busy.get()>
                                <span class="work-busy" data-page=&path[1..] role="img" aria-label=note title=note>"●"</span>
                            </Show>
                        });
                        // A plain link (the router still handles its clicks): the router's
                        // `<A>` would not mark Chat current at `/`.
                        let current = move || is_current_page(path, &location.pathname.get(), &crate::deploy::href("")).then_some("page");
                        view! { <a href=crate::deploy::href(path) aria-current=current>{*label}</a> {busy} }
                    })
                    .collect_view()}
            </nav>
            <ShortcutSheetButton/>
        </header>
    }
}

#[cfg(test)]
mod tests {
    use super::is_current_page;

    #[test]
    fn chat_is_current_at_the_root_and_at_chat() {
        for location in ["/", "", "/chat", "/chat/"] {
            assert!(is_current_page("/chat", location, ""), "{location}");
            assert!(!is_current_page("/models", location, ""), "{location}");
        }
    }

    #[test]
    fn a_detail_page_marks_its_list() {
        assert!(is_current_page("/models", "/models/grok-4", ""));
        assert!(!is_current_page("/models", "/modelsx", ""));
        assert!(!is_current_page("/chat", "/models/grok-4", ""));
    }

    #[test]
    fn the_base_path_is_not_part_of_the_page() {
        assert!(is_current_page("/chat", "/tools/xai/", "/tools/xai"));
        assert!(is_current_page("/chat", "/tools/xai", "/tools/xai"));
        assert!(is_current_page("/keys", "/tools/xai/keys", "/tools/xai"));
        assert!(!is_current_page("/chat", "/tools/xai/keys", "/tools/xai"));
    }
}
