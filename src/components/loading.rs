//! A loading indicator that screen readers announce.
use leptos::prelude::*;

/// "Loading …" with a spinner.
#[component]
pub fn Loading(#[prop(into, default = "Loading".into())] what: String) -> impl IntoView {
    view! { <p class="loading" role="status" aria-live="polite"><span class="spinner"></span>{what}" …"</p> }
}
