//! Shows an [`AppError`] in the user's words: what happened (the headline), what to do, and an
//! action; the status code and the service's or transport's own text sit under "Details".
use leptos::prelude::*;

use crate::error::{AppError, Remedy, ShownOn};

/// Where the panel is: the widget (always, in the widget's own build, which has no router),
/// Settings, or another page of the console.
fn shown_on() -> ShownOn {
    #[cfg(not(feature = "widget"))]
    if use_context::<crate::deploy::EmbedOptions>().is_none() {
        let path = leptos_router::hooks::use_location().pathname;
        return if path.with_untracked(|path| path.trim_end_matches('/').ends_with("/settings")) {
            ShownOn::Settings
        } else {
            ShownOn::Page
        };
    }
    ShownOn::Widget
}

/// An error panel. `retry`, when given, is offered for errors worth retrying.
#[component]
pub fn ErrorView(error: AppError, #[prop(optional, into)] retry: Option<Callback<()>>) -> impl IntoView {
    let kind = error.kind();
    let here = shown_on();
    let plain = error.detail_is_plain();
    let detail_text = error.detail.clone();
    let detail = move || view! { <p class="error-detail">{detail_text.clone()}</p> };
    view! {
        <div class="error" role="alert" data-code=error.code as i32 data-kind=kind>
            <strong class="error-title">{error.title()}</strong>
            {plain.then(detail.clone())}
            <p class="error-advice">{error.advice_at(here)}</p>
            {settings_link(error.offers_settings(here))}
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

/// "Open Settings", where the panel offers it (not in the widget's build, which has no router).
#[cfg(not(feature = "widget"))]
fn settings_link(offered: bool) -> Option<impl IntoView> {
    offered.then(
        || view! { <leptos_router::components::A href=crate::deploy::href("/settings")>"Open Settings"</leptos_router::components::A> },
    )
}

#[cfg(feature = "widget")]
fn settings_link(_offered: bool) -> Option<()> {
    None
}
