//! The raw sampling playground: a prompt, the sampling parameters, n choices side by side,
//! streamed (each choice grows; Stop aborts) or whole.
use leptos::prelude::*;

use super::{choice_column::ChoiceColumn, params_form::ParamsForm, session::SampleSession};
use crate::{
    api::use_api,
    components::{ErrorView, Loading},
    error::AppError,
    format,
    work::phase::Phase,
};

/// The page at /sample. The run and the form belong to the app's [`SampleSession`]: leaving the
/// page lets a run finish, and coming back shows it (Stop stops it).
#[component]
pub fn SamplePage() -> impl IntoView {
    crate::components::use_page_title(|| vec!["Sample".into()]);
    let api = StoredValue::new_local(use_api());
    let session = expect_context::<SampleSession>();
    let SampleSession { prompt, params, streaming, .. } = session;
    let problems = RwSignal::new(Vec::<String>::new());
    let models_error = RwSignal::new(None::<AppError>);
    let busy = move || session.phase.with(Phase::busy);
    let run = move || match params.with_untracked(|p| p.request(&prompt.get_untracked())) {
        Ok(request) => {
            problems.set(Vec::new());
            session.start(api.get_value(), request, streaming.get_untracked());
        }
        Err(found) => problems.set(found),
    };
    let count = move || session.answer.with(|a| a.as_ref().map_or(0, |a| a.choices.len()));

    view! {
        <section class="sample">
            <h1>"Raw sampling"</h1>
            <form class="form" novalidate on:submit=move |e| { e.prevent_default(); run(); }>
                <label for="sample-prompt">"Prompt (continued as is, without chat roles)"</label>
                <textarea id="sample-prompt" rows="4" prop:value=move || prompt.get()
                    on:input=move |e| prompt.set(event_target_value(&e))></textarea>
                <ParamsForm params models_error/>
                <label class="check"><input id="sample-stream" type="checkbox" prop:checked=move || streaming.get()
                    on:change=move |e| streaming.set(event_target_checked(&e))/>" Stream the text as it is generated"</label>
                <Show when=move || !problems.with(Vec::is_empty)>
                    <ul class="field-error" id="sample-problems" role="alert">
                        {move || problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                    </ul>
                </Show>
                <div class="row">
                    <button id="sample-run" type="submit" disabled=busy>"Sample"</button>
                    <button id="sample-stop" type="button" disabled=move || !busy() on:click=move |_| session.stop()>"Stop"</button>
                </div>
            </form>
            <div class="phase" data-phase=move || session.phase.with(Phase::name) aria-live="polite">
                {move || match session.phase.get() {
                    Phase::Waiting => view! { <Loading what="Sampling"/> }.into_any(),
                    phase @ (Phase::Retrying { .. } | Phase::RateLimited { .. }) => view! { <p class="muted">{phase.retry_notice()}</p> }.into_any(),
                    Phase::Stopped => view! { <p class="muted">"Stopped: the text so far stays."</p> }.into_any(),
                    Phase::Interrupted => view! {
                        <p class="status-note">"Interrupted by a reload: the text that had arrived stays. Sample runs it again."</p>
                    }.into_any(),
                    // One error per cause: a bad key already failed the model list above.
                    Phase::Failed(error) if models_error.with(|list| list.as_ref().is_some_and(|list| list.same_cause(&error))) => {
                        view! { <p class="status-note failed">{format!("Nothing sampled: {} (see above).", error.title())}</p> }.into_any()
                    }
                    Phase::Failed(error) => view! { <ErrorView error retry=Callback::new(move |_| run())/> }.into_any(),
                    _ => ().into_any(),
                }}
            </div>
            <div class="sample-choices">
                <For each=move || 0..count() key=|index| *index let(index)>
                    <ChoiceColumn index choice=Signal::derive(move || {
                        session.answer.with(|a| a.as_ref().and_then(|a| a.choices.get(index).cloned()).unwrap_or_default())
                    })/>
                </For>
            </div>
            {move || session.answer.with(|a| a.as_ref().and_then(|a| a.usage.map(|u| (a.model.clone(), u)))).map(|(model, usage)| view! {
                <p class="muted" id="sample-usage">
                    {format!("{model} · {} prompt + {} completion = {} tokens · ", usage.prompt_tokens, usage.completion_tokens, usage.total_tokens)}
                    <span class="sample-cost">{format!("cost {}", format::cost(usage.cost_usd_ticks))}</span>
                </p>
            })}
        </section>
    }
}
