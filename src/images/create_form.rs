//! The create form (Image.CreateImage): prompt and choices, progress while drawing, the result.
use leptos::prelude::*;

use super::{
    generation_view::GenerationView, options::ImageParams, params_fields::ParamsFields, progress::Progress, saved::interrupted_note,
    state::ImagesState,
};
use crate::{api::use_api, keys::AccessError, proto::ImageGenerationModel};

/// Picks the first model once the list is there, unless one is chosen.
pub fn default_model(params: RwSignal<ImageParams>, models: Signal<Vec<ImageGenerationModel>>) {
    Effect::new(move |_| {
        if let Some(first) = models.with(|all| all.first().map(|m| m.name.clone())) {
            if params.with_untracked(|p| p.model.is_empty()) {
                params.update(|p| p.model = first);
            }
        }
    });
}

/// The chosen model's prompt limit.
pub fn prompt_limit(params: RwSignal<ImageParams>, models: Signal<Vec<ImageGenerationModel>>) -> Option<i32> {
    let chosen = params.with_untracked(|p| p.model.clone());
    models.with_untracked(|all| all.iter().find(|m| m.name == chosen).map(|m| m.max_prompt_length))
}

/// Prompt, model, number, format, shape and size; the images appear below when drawn. What is
/// typed and the call in flight belong to the app's [`ImagesState`], so both survive leaving
/// the page.
#[component]
pub fn CreateForm(#[prop(into)] models: Signal<Vec<ImageGenerationModel>>) -> impl IntoView {
    let state = expect_context::<ImagesState>();
    let api = StoredValue::new_local(use_api());
    let params = state.create_params;
    let run = state.create_run;
    default_model(params, models);
    let form_error = RwSignal::new(None::<String>);
    let submit = move || {
        if run.step.with_untracked(Option::is_some) {
            return;
        }
        match params.with_untracked(|p| p.create_request(prompt_limit(params, models))) {
            Ok(request) => {
                form_error.set(None);
                state.create_images(api.get_value(), request);
            }
            Err(error) => form_error.set(Some(error.to_string())),
        }
    };

    view! {
        <form class="form image-form" id="create-form" on:submit=move |e| { e.prevent_default(); submit(); }>
            <label for="image-prompt">"Prompt"</label>
            <textarea id="image-prompt" rows="3" placeholder="Describe the image (Ctrl+Enter draws)"
                prop:value=move || params.with(|p| p.prompt.clone())
                on:input=move |e| params.update(|p| p.prompt = event_target_value(&e))
                on:keydown=move |e| if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) { e.prevent_default(); submit(); }></textarea>
            <ParamsFields params models prefix="image"/>
            {move || form_error.get().map(|e| view! { <p class="field-error" id="create-error" role="alert">{e}</p> })}
            <button id="image-generate" type="submit" disabled=move || run.pending()>"Generate"</button>
        </form>
        <Show when=move || run.pending()>
            <Progress what=Signal::derive(move || run.step.get().unwrap_or_default()) started_ms=run.started_ms/>
        </Show>
        {move || run.error.get().map(|error| view! { <AccessError error needed="image"/> })}
        {move || run.interrupted.get().map(|step| view! { <p class="status-note" role="status">{interrupted_note(&step)}</p> })}
        <div id="create-result">
            {move || state.create_result.get().and_then(|id| state.find(&id)).map(|generation| view! { <GenerationView generation/> })}
        </div>
    }
}
