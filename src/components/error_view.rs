//! Shows an [`AppError`]: what happened, the status code, and what the user can do.
use leptos::prelude::*;
use leptos_router::components::A;

use crate::error::{AppError, Remedy};

/// An error panel. `retry`, when given, is offered for errors worth retrying.
#[component]
pub fn ErrorView(error: AppError, #[prop(optional, into)] retry: Option<Callback<()>>) -> impl IntoView {
    let kind = error.kind();
    let remedy = error.remedy();
    view! {
        <div class="error" role="alert" data-code=error.code as i32 data-kind=kind>
            <strong class="error-title">{error.title()}</strong>
            <span class="error-code">{error.code_label()}</span>
            <p class="error-detail">{error.detail.clone()}</p>
            <p class="error-advice">{error.advice()}</p>
            {(remedy == Remedy::CheckSettings).then(|| view! { <A href=crate::deploy::href("/settings")>"Open Settings"</A> })}
            {retry
                .filter(|_| remedy == Remedy::RetryLater)
                .map(|retry| view! { <button on:click=move |_| retry.run(())>"Try again"</button> })}
        </div>
    }
}
