//! A batch's progress: a bar in three colours (succeeded, failed, cancelled) and a line of text.
use leptos::prelude::*;

use super::progress::Progress;
use crate::proto::Batch;

/// The bar of one batch; follows the batch as polling updates it.
#[component]
pub fn ProgressBar(#[prop(into)] batch: Signal<Batch>) -> impl IntoView {
    let state = move || batch.with(|b| b.state.unwrap_or_default());
    let progress = move || Progress::of(&state());
    let width = |percent: u32| format!("width: {percent}%");
    view! {
        <div class="batch-progress">
            // Named after its batch (a list page has several); the text says what the numbers mean.
            <div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="100"
                aria-label=move || batch.with(|b| format!("Progress of “{}”", b.name))
                aria-valuetext=move || Progress::summary(&state())
                aria-valuenow=move || progress().percent data-percent=move || progress().percent>
                <span class="bar-success" style=move || width(progress().success_percent)></span>
                <span class="bar-error" style=move || width(progress().error_percent)></span>
                <span class="bar-cancelled" style=move || width(progress().cancelled_percent)></span>
            </div>
            <span class="progress-text">{move || format!("{} % · {}", progress().percent, Progress::summary(&state()))}</span>
        </div>
    }
}
