//! The request lines of a batch and the models they go to (used to create a batch and to add
//! requests to one).
use leptos::prelude::*;

use super::draft::BatchDraft;
use crate::{
    api::use_api,
    components::ErrorView,
    proto::{Model, ModelKind},
};

fn names(models: &[Model], kind: ModelKind) -> Vec<String> {
    models.iter().filter(|model| model.kind() == kind).map(|model| model.name.clone()).collect()
}

/// One model in a picker, selected while it is the draft's choice.
fn option(name: String, chosen: impl Fn() -> String + Send + Sync + 'static) -> impl IntoView {
    let value = name.clone();
    view! { <option value=value selected=move || chosen() == name>{name.clone()}</option> }
}

/// Model pickers, a max-tokens field and the lines. Picks the first model of each kind once the
/// list arrives, unless one is chosen already.
#[component]
pub fn RequestsEditor(draft: RwSignal<BatchDraft>) -> impl IntoView {
    let api = StoredValue::new_local(use_api());
    let models = LocalResource::new(move || {
        let api = api.get_value();
        async move { api.list_models().await }
    });
    let language = Memo::new(move |_| models.get().and_then(Result::ok).map(|all| names(&all, ModelKind::Language)).unwrap_or_default());
    let image =
        Memo::new(move |_| models.get().and_then(Result::ok).map(|all| names(&all, ModelKind::ImageGeneration)).unwrap_or_default());
    Effect::new(move |_| {
        let (first_language, first_image) = (language.get().first().cloned(), image.get().first().cloned());
        draft.update(|draft| {
            if draft.chat_model.is_empty() {
                draft.chat_model = first_language.unwrap_or_default();
            }
            if draft.image_model.is_empty() {
                draft.image_model = first_image.unwrap_or_default();
            }
        });
    });

    view! {
        <div class="requests-editor">
            {move || models.get().and_then(Result::err).map(|error| view! {
                <ErrorView error retry=Callback::new(move |_| models.refetch())/>
            })}
            <div class="param-grid">
                <label>"Chat model"
                    <select id="batch-chat-model" on:change=move |e| { let v = event_target_value(&e); draft.update(|d| d.chat_model = v) }>
                        {move || language.get().into_iter().map(|name| option(name, move || draft.with(|d| d.chat_model.clone()))).collect_view()}
                    </select>
                </label>
                <label>"Image model"
                    <select id="batch-image-model" on:change=move |e| { let v = event_target_value(&e); draft.update(|d| d.image_model = v) }>
                        {move || image.get().into_iter().map(|name| option(name, move || draft.with(|d| d.image_model.clone()))).collect_view()}
                    </select>
                </label>
                <label>"Max tokens per answer"
                    <input id="batch-max-tokens" type="number" min="1" placeholder="model default"
                        prop:value=move || draft.with(|d| d.max_tokens.map(|v| v.to_string()).unwrap_or_default())
                        on:change=move |e| { let v = event_target_value(&e).trim().parse().ok(); draft.update(|d| d.max_tokens = v) }/>
                </label>
            </div>
            <label for="batch-lines">"Requests, one per line (start a line with " <code>"image:"</code> " for an image)"</label>
            <textarea id="batch-lines" rows="5" placeholder="Summarise the plot of Hamlet in one line\nimage: a lighthouse at dusk"
                prop:value=move || draft.with(|d| d.lines.clone())
                on:input=move |e| { let v = event_target_value(&e); draft.update(|d| d.lines = v) }></textarea>
        </div>
    }
}
