//! One choice of a sample: its text as it grows (plain text: model output is never markup here)
//! and, once finished, why it stopped.
use leptos::prelude::*;

use super::answer::ChoiceSoFar;
use crate::chat::finish_reason_label;

/// A column; `data-finished` tells tests and styles whether the choice is complete.
#[component]
pub fn ChoiceColumn(index: usize, #[prop(into)] choice: Signal<ChoiceSoFar>) -> impl IntoView {
    view! {
        <article class="card sample-choice" data-index=index data-finished=move || if choice.with(|c| c.finish_reason.is_some()) { "true" } else { "false" }>
            <h3>{format!("Choice {}", index + 1)}</h3>
            <pre class="sample-text">{move || choice.with(|c| c.text.clone())}</pre>
            {move || choice.with(|c| c.finish_reason).map(|reason| view! {
                <span class="badge finish-reason">"Finished: " {finish_reason_label(reason)}</span>
            })}
        </article>
    }
}
