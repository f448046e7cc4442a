//! The page for unknown routes.
use leptos::prelude::*;
use leptos_router::components::A;

/// "No such page" with a way back.
#[component]
pub fn NotFound() -> impl IntoView {
    super::use_page_title(|| vec!["No such page".into()]);
    view! {
        <section>
            <h1>"No such page"</h1>
            <p><A href=crate::deploy::href("/chat")>"Back to Chat"</A></p>
        </section>
    }
}
