//! One generation: what was asked, the images in a grid (an edit's source beside them), and what
//! can be done with each image.
use leptos::prelude::*;

use super::{
    files,
    history::{Generation, GenerationKind, StoredImage},
    options,
    state::{ImagesState, Viewed},
};
use crate::{components::file_io, format};

fn local_time(ms: f64) -> String {
    js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms)).to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED).into()
}

/// A generation with its images. Prompts are shown as text (never as markup).
#[component]
pub fn GenerationView(generation: Generation) -> impl IntoView {
    let state = expect_context::<ImagesState>();
    let Generation { id, created_ms, kind, prompt, model, aspect_ratio, cost_usd_ticks, source, images } = generation;
    let kind_label = match kind {
        GenerationKind::Create => "Created",
        GenerationKind::Edit => "Edited",
    };
    let copied = RwSignal::new(false);
    let prompt_for_copy = prompt.clone();
    let delete_label = format!("Delete “{prompt}”");
    let delete_id = id.clone();
    let count = images.len();
    let grid = images.into_iter().enumerate().map(|(index, image)| view! { <ImageTile image index prompt=prompt.clone()/> }).collect_view();

    view! {
        <article class="generation" data-id=id data-kind=kind_label>
            <header class="generation-head">
                <p class="generation-prompt">{prompt.clone()}</p>
                <p class="muted generation-meta">
                    {kind_label} " " {local_time(created_ms)} " · " {model} " · " {count} " image(s) · "
                    {options::aspect_ratio_label(aspect_ratio)} " · " {format::cost(cost_usd_ticks)}
                </p>
                <div class="actions">
                    <button type="button" class="link copy-prompt" on:click=move |_| {
                        file_io::copy_text(&prompt_for_copy);
                        copied.set(true);
                    }>{move || if copied.get() { "Prompt copied" } else { "Copy prompt" }}</button>
                    <button type="button" class="link delete-generation" aria-label=delete_label
                        on:click=move |_| state.delete(delete_id.clone())>"Delete"</button>
                </div>
            </header>
            {match source {
                Some(before) => view! {
                    <div class="before-after">
                        <figure class="before">
                            <img class="source-image" src=before alt="The image before the edit"/>
                            <figcaption>"Before"</figcaption>
                        </figure>
                        <div class="after">
                            <div class="image-grid">{grid}</div>
                            <p class="muted after-caption">"After"</p>
                        </div>
                    </div>
                }.into_any(),
                None => view! { <div class="image-grid">{grid}</div> }.into_any(),
            }}
        </article>
    }
}

/// One image with its actions: view full size, download, use as the edit source.
#[component]
fn ImageTile(image: StoredImage, index: usize, prompt: String) -> impl IntoView {
    let state = expect_context::<ImagesState>();
    let file_name = files::download_name(&prompt, index, files::mime_of(&image.data_url));
    let alt = format!("Image {} for “{prompt}”", index + 1);
    let error = RwSignal::new(None::<String>);
    let caption =
        if image.revised_prompt.is_empty() || image.revised_prompt == prompt { prompt.clone() } else { image.revised_prompt.clone() };
    let viewed = Viewed { data_url: image.data_url.clone(), file_name: file_name.clone(), caption };
    let (for_download, for_edit) = (image.data_url.clone(), image.data_url.clone());
    view! {
        <figure class="image-tile">
            <button type="button" class="open-image" aria-label=format!("View image {} full size", index + 1)
                on:click=move |_| state.lightbox.set(Some(viewed.clone()))>
                <img class="generated" src=image.data_url alt=alt width=image.width height=image.height/>
            </button>
            <figcaption class="image-actions">
                <button type="button" class="link download-image" on:click=move |_| {
                    error.set(file_io::download_data_url(&file_name, &for_download).err());
                }>"Download"</button>
                <button type="button" class="link edit-image" on:click=move |_| state.edit_from(for_edit.clone())>"Edit this"</button>
            </figcaption>
            {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
        </figure>
    }
}
