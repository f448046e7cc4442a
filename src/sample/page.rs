//! Continue a prompt without chat roles.
use leptos::prelude::*;

use crate::{
    app::use_api,
    components::{ErrorView, Loading},
    format,
    proto::RawSampleRequest,
};

/// Prompt in, continuation out (unary RawSample).
#[component]
pub fn SamplePage() -> impl IntoView {
    let api = use_api();
    let prompt = RwSignal::new(String::new());
    let sample = Action::new_local(move |text: &String| {
        let api = api.clone();
        let request = RawSampleRequest { prompt: text.clone(), ..Default::default() };
        async move { api.raw_sample(request).await }
    });
    view! {
        <section class="sample">
            <h1>"Raw sampling"</h1>
            <form class="form" on:submit=move |event| {
                event.prevent_default();
                sample.dispatch(prompt.get_untracked());
            }>
                <label for="sample-prompt">"Prompt"</label>
                <textarea id="sample-prompt" rows="4" on:input=move |event| prompt.set(event_target_value(&event))></textarea>
                <button id="sample-run" type="submit" disabled=move || sample.pending().get()>"Sample"</button>
            </form>
            <Show when=move || sample.pending().get()><Loading what="Sampling"/></Show>
            {move || sample.value().get().map(|result| match result {
                Err(error) => view! { <ErrorView error/> }.into_any(),
                Ok(response) => view! {
                    {response.choices.into_iter().map(|choice| view! { <pre class="sample-text">{choice.text}</pre> }).collect_view()}
                    <p class="muted">{response.usage.map(|u| format!("{} tokens, cost {}", u.total_tokens, format::cost(u.cost_usd_ticks)))}</p>
                }.into_any(),
            })}
        </section>
    }
}
