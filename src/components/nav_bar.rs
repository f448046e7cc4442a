//! The navigation bar: one link per page; wraps onto two rows at phone width.
use leptos::prelude::*;
use leptos_router::components::A;

const PAGES: &[(&str, &str)] = &[
    ("/chat", "Chat"),
    ("/images", "Images"),
    ("/models", "Models"),
    ("/batches", "Batches"),
    ("/keys", "Keys"),
    ("/sample", "Sample"),
    ("/settings", "Settings"),
];

/// The top navigation.
#[component]
pub fn NavBar() -> impl IntoView {
    view! {
        <header class="nav">
            <span class="brand">"xai-web"</span>
            <nav aria-label="Pages">
                {PAGES
                    .iter()
                    .map(|(path, label)| view! { <A href=crate::deploy::href(path)>{*label}</A> })
                    .collect_view()}
            </nav>
        </header>
    }
}
