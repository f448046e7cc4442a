//! The create form (Image.CreateImage): prompt and choices, progress while drawing, the result.
use leptos::prelude::*;

use super::{
    generation_view::GenerationView,
    history::GenerationKind,
    options::ImageParams,
    params_fields::ParamsFields,
    progress::Progress,
    state::{Asked, ImagesState},
};
use crate::{app::use_api, keys::AccessError, proto::{ImageGenerationModel, ImageRequest}};

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

/// Prompt, model, number, format, shape and size; the images appear below when drawn.
#[component]
pub fn CreateForm(#[prop(into)] models: Signal<Vec<ImageGenerationModel>>) -> impl IntoView {
    let state = expect_context::<ImagesState>();
    let api = StoredValue::new_local(use_api());
    let params = RwSignal::new(ImageParams::default());
    default_model(params, models);
    let form_error = RwSignal::new(None::<String>);
    let step = RwSignal::new("");
    let run = Action::new_local(move |request: &ImageRequest| {
        let (api, request) = (api.get_value(), request.clone());
        async move {
            step.set("Drawing");
            let asked = Asked { kind: GenerationKind::Create, prompt: request.prompt.clone(), aspect_ratio: request.aspect_ratio, source: None };
            let response = api.create_image(request).await?;
            step.set("Keeping the images");
            state.record(asked, response, &api.endpoint()?).await.map(|_| ())
        }
    });
    let submit = move || {
        if run.pending().get_untracked() {
            return;
        }
        match params.with_untracked(|p| p.create_request(prompt_limit(params, models))) {
            Ok(request) => {
                form_error.set(None);
                run.dispatch(request);
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
            <button id="image-generate" type="submit" disabled=move || run.pending().get()>"Generate"</button>
        </form>
        <Show when=move || run.pending().get()>
            <Progress what=Signal::derive(move || format!("{} {} image(s)", step.get(), params.with(|p| p.count.trim().to_owned())))/>
        </Show>
        {move || run.value().get().and_then(Result::err).map(|error| view! { <AccessError error needed="image"/> })}
        <div id="create-result">
            {move || state.create_result.get().and_then(|id| state.find(&id)).map(|generation| view! { <GenerationView generation/> })}
        </div>
    }
}
