//! Shows an [`AppError`] in the user's words: what happened (the headline), what to do, and an
//! action; the status code and the service's or transport's own text sit under "Details".
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_location};

use crate::error::{AppError, Remedy};

/// Whether the page shown is Settings (whose errors must not send the user to Settings).
fn on_settings() -> bool {
    use_location().pathname.with_untracked(|path| path.trim_end_matches('/').ends_with("/settings"))
}

/// An error panel. `retry`, when given, is offered for errors worth retrying.
#[component]
pub fn ErrorView(error: AppError, #[prop(optional, into)] retry: Option<Callback<()>>) -> impl IntoView {
    let kind = error.kind();
    let here = on_settings();
    let plain = error.detail_is_plain();
    let detail_text = error.detail.clone();
    let detail = move || view! { <p class="error-detail">{detail_text.clone()}</p> };
    view! {
        <div class="error" role="alert" data-code=error.code as i32 data-kind=kind>
            <strong class="error-title">{error.title()}</strong>
            {plain.then(detail.clone())}
            <p class="error-advice">{error.advice_at(here)}</p>
            {error.offers_settings(here).then(|| view! { <A href=crate::deploy::href("/settings")>"Open Settings"</A> })}
            {retry
                .filter(|_| error.remedy() == Remedy::RetryLater)
                .map(|retry| view! { <button on:click=move |_| retry.run(())>"Try again"</button> })}
            <details class="error-details">
                <summary>"Details"</summary>
                <p class="error-code">{error.code_label()}</p>
                {(!plain).then(detail)}
            </details>
        </div>
    }
}
