//! Shown while a call runs: what is happening, for how long, and an indeterminate bar.
use std::time::Duration;

use leptos::prelude::*;

use crate::components::Loading;

/// "Drawing 2 image(s) … 3 s" with a moving bar.
#[component]
pub fn Progress(#[prop(into)] what: Signal<String>) -> impl IntoView {
    let seconds = RwSignal::new(0_u32);
    if let Ok(handle) = set_interval_with_handle(move || seconds.update(|s| *s += 1), Duration::from_secs(1)) {
        on_cleanup(move || handle.clear());
    }
    view! {
        <div class="image-progress">
            {move || view! { <Loading what=what.get()/> }}
            <progress aria-label="Working"></progress>
            <small class="muted">{move || format!("{} s", seconds.get())}</small>
        </div>
    }
}
