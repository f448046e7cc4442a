//! What a page loaded on demand shows when its code could not be downloaded.
use leptos::prelude::*;

/// "This page could not be loaded", what to do, and Try again.
#[component]
pub fn PageLoadFailed(#[prop(into)] retry: Callback<()>) -> impl IntoView {
    view! {
        <section class="error page-load-failed" role="alert">
            <strong class="error-title">"This page could not be loaded"</strong>
            <p class="error-advice">
                "Its code did not download: check your connection, then try again. Nothing you saved is affected."
            </p>
            <button on:click=move |_| retry.run(())>"Try again"</button>
        </section>
    }
}
