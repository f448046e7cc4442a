//! The list of models with filters.
use leptos::prelude::*;
use leptos_router::components::A;

use super::filter::{modality_from_value, modality_names, prompt_limit, ModelFilter};
use crate::{
    api::use_api,
    components::{ErrorView, Loading},
    proto::ModelKind,
};

/// Lists every model from Models.ListModels.
#[component]
pub fn ModelsPage() -> impl IntoView {
    crate::components::use_page_title(|| vec!["Models".into()]);
    let api = use_api();
    let models = LocalResource::new(move || {
        let api = api.clone();
        async move { api.list_models().await }
    });
    let filter = RwSignal::new(ModelFilter::default());

    view! {
        <section class="models">
            <h1>"Models"</h1>
            <div class="toolbar" role="search">
                <input id="model-search" type="search" placeholder="Search names and aliases"
                    on:input=move |event| filter.update(|f| f.search = event_target_value(&event))/>
                <select id="model-kind" aria-label="Kind" on:change=move |event| {
                    let kind = match event_target_value(&event).as_str() {
                        "language" => Some(ModelKind::Language),
                        "image" => Some(ModelKind::ImageGeneration),
                        _ => None,
                    };
                    filter.update(|f| f.kind = kind);
                }>
                    <option value="all">"All kinds"</option>
                    <option value="language">"Language"</option>
                    <option value="image">"Image generation"</option>
                </select>
                <select id="model-input" aria-label="Input" on:change=move |event| {
                    let input = modality_from_value(&event_target_value(&event));
                    filter.update(|f| f.input = input);
                }>
                    <option value="any">"Any input"</option>
                    <option value="text">"Text input"</option>
                    <option value="image">"Image input (vision)"</option>
                </select>
                <select id="model-output" aria-label="Output" on:change=move |event| {
                    let output = modality_from_value(&event_target_value(&event));
                    filter.update(|f| f.output = output);
                }>
                    <option value="any">"Any output"</option>
                    <option value="text">"Text output"</option>
                    <option value="image">"Image output"</option>
                </select>
            </div>
            <Suspense fallback=|| view! { <Loading what="Loading models"/> }>
                {move || models.get().map(|result| match result {
                    Err(error) => view! { <ErrorView error retry=Callback::new(move |_| models.refetch())/> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="empty">"This endpoint offers no models."</p> }.into_any(),
                    Ok(list) => {
                        let shown: Vec<_> = list.into_iter().filter(|m| filter.with(|f| f.matches(m))).collect();
                        if shown.is_empty() {
                            return view! { <p class="empty">"No model matches the filter."</p> }.into_any();
                        }
                        view! {
                            <ul class="cards model-list">
                                {shown.into_iter().map(|model| {
                                    let kind = match model.kind() {
                                        ModelKind::Language => "Language",
                                        ModelKind::ImageGeneration => "Image generation",
                                        ModelKind::Unspecified => "Other",
                                    };
                                    let href = crate::deploy::href(&format!("/models/{}", model.name));
                                    let label = model.name.clone();
                                    view! {
                                        <li class="card model-card" data-model=model.name.clone()>
                                            <A href=href><strong>{label}</strong></A>
                                            <span class="badge">{kind}</span>
                                            <span>"Input: " {modality_names(model.input_modalities())}</span>
                                            <span>"Output: " {modality_names(model.output_modalities())}</span>
                                            {prompt_limit(&model).map(|limit| view! { <span>"Max prompt: " {limit}</span> })}
                                            {(!model.aliases.is_empty()).then(|| view! {
                                                <span class="muted">"Aliases: " {model.aliases.join(", ")}</span>
                                            })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}
