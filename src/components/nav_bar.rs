//! The navigation bar: one link per page, on one row at every width (at phone width the links
//! scroll sideways inside the bar, the current one kept in view). A page whose work
//! goes on while another is shown (an answer, a sampling run, an image being drawn) has a dot
//! beside its link until the work ends.
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_location};
use wasm_bindgen::JsCast;

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

/// Scrolls the bar's links so that the current page's link is in view (at phone width they do
/// not all fit). The links' offsets are relative to the bar (`position: relative` in the CSS).
fn reveal_current_link() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(link) = document
        .query_selector(".nav nav a[aria-current=\"page\"]")
        .ok()
        .flatten()
        .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok())
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
                        view! { <A href=crate::deploy::href(path)>{*label}</A> {busy} }
                    })
                    .collect_view()}
            </nav>
        </header>
    }
}
