//! Shows an answer: reasoning (collapsible), text, finish reason, tokens and cost.
use leptos::prelude::*;

use super::{accumulator::finish_reason_label, Answer};
use crate::{components::MarkdownView, format};

/// The answer so far. The answer is markdown, rendered sanitised (model output is untrusted);
/// reasoning is plain text.
#[component]
pub fn AnswerView(answer: RwSignal<Answer>) -> impl IntoView {
    let first = move || answer.with(|a| a.first().cloned().unwrap_or_default());
    view! {
        <article class="answer" aria-live="polite">
            <Show when=move || !first().reasoning.is_empty()>
                <details class="reasoning" open>
                    <summary>"Reasoning"</summary>
                    <p class="reasoning-text">{move || first().reasoning}</p>
                </details>
            </Show>
            <div class="answer-text">
                <MarkdownView text=Signal::derive(move || answer.with(|a| a.first().map(|c| c.content.clone()).unwrap_or_default()))/>
            </div>
            <footer class="answer-meta">
                {move || first().finish_reason.map(|reason| view! {
                    <span class="finish-reason" data-reason=finish_reason_label(reason)>
                        "Finished: " {finish_reason_label(reason)}
                    </span>
                })}
                {move || answer.with(|a| a.usage).map(|usage| view! {
                    <span class="usage">
                        {format!(
                            "{} prompt + {} completion + {} reasoning tokens ({} cached)",
                            usage.prompt_tokens, usage.completion_tokens, usage.reasoning_tokens, usage.cached_prompt_tokens,
                        )}
                    </span>
                    <span class="cost">"Cost: " {format::cost(usage.cost_usd_ticks)}</span>
                })}
            </footer>
        </article>
    }
}
