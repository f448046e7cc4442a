//! Shown while a call runs: what is happening, for how long, and an indeterminate bar.
use std::time::Duration;

use leptos::prelude::*;

use crate::{components::Loading, work::clock::now_ms};

/// "Drawing 2 image(s) … 3 s" with a moving bar; the seconds count from `started_ms`, so a page
/// that comes back to a call under way shows how long it has really run.
#[component]
pub fn Progress(#[prop(into)] what: Signal<String>, #[prop(into)] started_ms: Signal<f64>) -> impl IntoView {
    let now = RwSignal::new(now_ms());
    if let Ok(handle) = set_interval_with_handle(move || now.set(now_ms()), Duration::from_secs(1)) {
        on_cleanup(move || handle.clear());
    }
    let seconds = move || ((now.get() - started_ms.get()) / 1000.0).max(0.0).round() as u64;
    view! {
        <div class="image-progress">
            {move || view! { <Loading what=what.get()/> }}
            <progress aria-label="Working"></progress>
            <small class="muted">{move || format!("{} s", seconds())}</small>
        </div>
    }
}
