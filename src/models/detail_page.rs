//! One model in detail: GetModel, then the kind-specific call for prices.
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_params_map};

use super::filter::{modality_names, prompt_limit};
use crate::{
    api::use_api,
    api::Api,
    components::{ErrorView, Loading},
    error::AppError,
    format,
    proto::{ImageGenerationModel, LanguageModel, Model, ModelKind},
};

/// What the detail view shows.
#[derive(Clone)]
enum Details {
    Language(Model, LanguageModel),
    Image(Model, ImageGenerationModel),
    Other(Model),
}

async fn load(api: Api, name: String) -> Result<Details, AppError> {
    let model = api.get_model(name).await?;
    Ok(match model.kind() {
        ModelKind::Language => {
            let language = api.get_language_model(model.name.clone()).await?;
            Details::Language(model, language)
        }
        ModelKind::ImageGeneration => {
            let image = api.get_image_model(model.name.clone()).await?;
            Details::Image(model, image)
        }
        ModelKind::Unspecified => Details::Other(model),
    })
}

/// The detail page at /models/:name.
#[component]
pub fn ModelDetailPage() -> impl IntoView {
    let api = use_api();
    let params = use_params_map();
    let details = LocalResource::new(move || {
        let name = params.read().get("name").unwrap_or_default();
        load(api.clone(), name)
    });
    // The model's own name once it is loaded (the URL may hold an alias), the URL's until then.
    crate::components::use_page_title(move || {
        let loaded = details.read().as_ref().and_then(|result| result.as_ref().ok()).map(|details| match details {
            Details::Language(model, _) | Details::Image(model, _) | Details::Other(model) => model.name.clone(),
        });
        vec![loaded.unwrap_or_else(|| params.read().get("name").unwrap_or_default()), "Models".into()]
    });

    view! {
        <section class="model-detail">
            <p><A href=crate::deploy::href("/models")>"← All models"</A></p>
            <Suspense fallback=|| view! { <Loading what="Loading model"/> }>
                {move || details.get().map(|result| match result {
                    Err(error) => view! { <ErrorView error retry=Callback::new(move |_| details.refetch())/> }.into_any(),
                    Ok(details) => render(details).into_any(),
                })}
            </Suspense>
        </section>
    }
}

fn render(details: Details) -> impl IntoView {
    let (model, kind, prices, fingerprint) = match details {
        Details::Language(model, language) => {
            let reasoning = if language.reasoning { "yes" } else { "no" };
            let mut rows = vec![
                ("Prompt text", format::token_price_per_million(language.prompt_text_token_price)),
                ("Prompt image", format::token_price_per_million(language.prompt_image_token_price)),
                ("Cached prompt", format::token_price_per_million(language.cached_prompt_token_price)),
                ("Completion", format::token_price_per_million(language.completion_text_token_price)),
            ];
            if language.search_price > 0 {
                rows.push(("Live search", format!("{} / source", format::dollars(language.search_price as f64 / format::TICKS_PER_USD))));
            }
            rows.push(("Reasoning model", reasoning.to_owned()));
            (model, "Language", rows, language.system_fingerprint)
        }
        Details::Image(model, image) => {
            (model, "Image generation", vec![("Per image", format::image_price(image.image_price))], image.system_fingerprint)
        }
        Details::Other(model) => (model, "Other", vec![], String::new()),
    };
    // Language models' limit is their context length; image models' is a prompt length.
    let limit_label = if kind == "Language" { "Context length" } else { "Max prompt" };
    view! {
        <h1>{model.name.clone()}</h1>
        <dl class="facts">
            <dt>"Kind"</dt><dd>{kind}</dd>
            <dt>"Version"</dt><dd>{model.version.clone()}</dd>
            <dt>"Aliases"</dt><dd>{if model.aliases.is_empty() { "none".to_owned() } else { model.aliases.join(", ") }}</dd>
            <dt>"Input"</dt><dd>{modality_names(model.input_modalities())}</dd>
            <dt>"Output"</dt><dd>{modality_names(model.output_modalities())}</dd>
            <dt>{limit_label}</dt><dd>{prompt_limit(&model).unwrap_or_else(|| "not stated".to_owned())}</dd>
            {(model.created > 0).then(|| view! { <dt>"Released"</dt><dd>{format::utc_date(model.created, false)}</dd> })}
            {(!model.owned_by.is_empty()).then(|| view! { <dt>"Served by"</dt><dd>{model.owned_by.clone()}</dd> })}
            {prices.into_iter().map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> }).collect_view()}
            {(!fingerprint.is_empty()).then(|| view! { <dt>"Fingerprint"</dt><dd><code>{fingerprint}</code></dd> })}
        </dl>
    }
}
