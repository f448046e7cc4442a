//! The edit form (Image.EditImage): the image to edit, optional reference images, a prompt; the
//! result shows the source beside the new images.
use leptos::prelude::*;

use super::{
    create_form::{default_model, prompt_limit},
    files::{SourceError, MAX_REFERENCES},
    generation_view::GenerationView,
    image_picker::ImagePicker,
    params_fields::ParamsFields,
    progress::Progress,
    saved::interrupted_note,
    state::ImagesState,
};
use crate::{
    api::use_api,
    keys::AccessError,
    proto::{ImageGenerationModel, Modality},
};

/// Source, references, prompt and choices. What is typed and the call in flight belong to the
/// app's [`ImagesState`], so both survive leaving the page.
#[component]
pub fn EditForm(#[prop(into)] models: Signal<Vec<ImageGenerationModel>>) -> impl IntoView {
    let state = expect_context::<ImagesState>();
    let api = StoredValue::new_local(use_api());
    // Only models that take an image in can edit.
    let models =
        Signal::derive(move || models.get().into_iter().filter(|m| m.input_modalities().any(|i| i == Modality::Image)).collect::<Vec<_>>());
    let params = state.edit_params;
    let references = state.references;
    let run = state.edit_run;
    default_model(params, models);
    let source_error = RwSignal::new(None::<String>);
    let reference_error = RwSignal::new(None::<String>);
    let form_error = RwSignal::new(None::<String>);
    let submit = move || {
        if run.step.with_untracked(Option::is_some) {
            return;
        }
        let source = state.edit_source.get_untracked();
        let built = params.with_untracked(|p| p.edit_request(prompt_limit(params, models), source.as_deref(), &references.get_untracked()));
        match built {
            Ok(request) => {
                form_error.set(None);
                state.edit_image(api.get_value(), request);
            }
            Err(error) => form_error.set(Some(error.to_string())),
        }
    };
    let add_reference = Callback::new(move |data_url: String| {
        if references.with_untracked(Vec::len) >= MAX_REFERENCES {
            reference_error.set(Some(SourceError::TooManyReferences.to_string()));
        } else {
            references.update(|r| r.push(data_url));
        }
    });

    view! {
        <form class="form image-form" id="edit-form" on:submit=move |e| { e.prevent_default(); submit(); }>
            <span class="field-label">"Image to edit"</span>
            {move || match state.edit_source.get() {
                Some(source) => view! {
                    <div class="edit-source">
                        <img class="source-preview" src=source alt="The image to edit"/>
                        <button type="button" class="link" id="clear-source" on:click=move |_| state.edit_source.set(None)>"Choose another image"</button>
                    </div>
                }.into_any(),
                None => view! {
                    <ImagePicker input_id="edit-source" label="The image to edit" error=source_error
                        on_image=Callback::new(move |data_url| state.edit_source.set(Some(data_url)))/>
                }.into_any(),
            }}
            {move || source_error.get().map(|e| view! { <p class="field-error" id="source-error" role="alert">{e}</p> })}

            <details class="references">
                <summary>{move || format!("Reference images ({}/{MAX_REFERENCES}, optional)", references.with(Vec::len))}</summary>
                <div class="thumbs">
                    {move || references.get().into_iter().enumerate().map(|(index, url)| view! {
                        <span class="thumb-wrap">
                            <img class="thumb reference" src=url alt=format!("Reference image {}", index + 1)/>
                            <button type="button" class="link" aria-label=format!("Remove reference image {}", index + 1)
                                on:click=move |_| references.update(|r| { r.remove(index); })>"×"</button>
                        </span>
                    }).collect_view()}
                </div>
                <ImagePicker input_id="edit-references" label="Reference images" multiple=true error=reference_error on_image=add_reference/>
                {move || reference_error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            </details>

            <label for="edit-prompt">"What to change"</label>
            <textarea id="edit-prompt" rows="2" placeholder="e.g. make it night time"
                prop:value=move || params.with(|p| p.prompt.clone())
                on:input=move |e| params.update(|p| p.prompt = event_target_value(&e))></textarea>
            <ParamsFields params models prefix="edit"/>
            {move || form_error.get().map(|e| view! { <p class="field-error" id="edit-error" role="alert">{e}</p> })}
            <button id="edit-submit" type="submit" disabled=move || run.pending()>"Edit image"</button>
        </form>
        <Show when=move || run.pending()>
            <Progress what=Signal::derive(move || run.step.get().unwrap_or_default()) started_ms=run.started_ms/>
        </Show>
        {move || run.error.get().map(|error| view! { <AccessError error needed="image"/> })}
        {move || run.interrupted.get().map(|step| view! { <p class="status-note" role="status">{interrupted_note(&step)}</p> })}
        <div id="edit-result">
            {move || state.edit_result.get().and_then(|id| state.find(&id)).map(|generation| view! { <GenerationView generation/> })}
        </div>
    }
}
