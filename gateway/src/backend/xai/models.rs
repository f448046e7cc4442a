//! Models: the typed List*/Get* calls map one to one; ListModels and GetModel, which the real
//! API lacks, are composed from them.
use tonic::{Code, Status};

use super::{call, convert, Upstream};
use crate::{
    backend::Caller,
    proto::{ImageGenerationModel, LanguageModel, Model},
    upstream_proto::{self as up, models_client::ModelsClient},
};

pub async fn list_language(upstream: &Upstream, caller: &Caller) -> Result<Vec<LanguageModel>, Status> {
    let request = call::request(caller, up::Empty {})?;
    let response = call::unary(upstream_client!(upstream, ModelsClient).list_language_models(request).await)?;
    Ok(response.models.into_iter().map(language_model).collect())
}

pub async fn get_language(upstream: &Upstream, caller: &Caller, name: &str) -> Result<LanguageModel, Status> {
    let request = call::request(caller, up::GetModelRequest { name: name.to_string() })?;
    call::unary(upstream_client!(upstream, ModelsClient).get_language_model(request).await).map(language_model)
}

pub async fn list_image(upstream: &Upstream, caller: &Caller) -> Result<Vec<ImageGenerationModel>, Status> {
    let request = call::request(caller, up::Empty {})?;
    let response = call::unary(upstream_client!(upstream, ModelsClient).list_image_generation_models(request).await)?;
    Ok(response.models.into_iter().map(image_model).collect())
}

pub async fn get_image(upstream: &Upstream, caller: &Caller, name: &str) -> Result<ImageGenerationModel, Status> {
    let request = call::request(caller, up::GetModelRequest { name: name.to_string() })?;
    call::unary(upstream_client!(upstream, ModelsClient).get_image_generation_model(request).await).map(image_model)
}

/// Both lists (asked concurrently), summarised and sorted by name.
pub async fn list_all(upstream: &Upstream, caller: &Caller) -> Result<Vec<Model>, Status> {
    let (language, image) = tokio::try_join!(list_language(upstream, caller), list_image(upstream, caller))?;
    let mut models: Vec<Model> = language.into_iter().map(Model::from).chain(image.into_iter().map(Model::from)).collect();
    models.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(models)
}

/// The language model of that name, else the image model; NOT_FOUND only when neither kind
/// knows it. Any other failure (a bad key, say) is the answer as it is.
pub async fn get_any(upstream: &Upstream, caller: &Caller, name: &str) -> Result<Model, Status> {
    let (language, image) = tokio::join!(get_language(upstream, caller, name), get_image(upstream, caller, name));
    match (language, image) {
        (Ok(model), _) => Ok(Model::from(model)),
        (Err(_), Ok(model)) => Ok(Model::from(model)),
        (Err(language), Err(image)) => match (language.code(), image.code()) {
            (Code::NotFound, Code::NotFound) => {
                Err(Status::not_found(format!("model {name:?} is neither a language nor an image generation model")))
            }
            (Code::NotFound, _) => Err(image),
            _ => Err(language),
        },
    }
}

fn language_model(model: up::LanguageModel) -> LanguageModel {
    LanguageModel {
        name: model.name,
        version: model.version,
        aliases: model.aliases,
        input_modalities: convert::modalities(model.input_modalities),
        output_modalities: convert::modalities(model.output_modalities),
        prompt_text_token_price: model.prompt_text_token_price,
        prompt_image_token_price: model.prompt_image_token_price,
        cached_prompt_token_price: model.cached_prompt_token_price,
        completion_text_token_price: model.completion_text_token_price,
        search_price: model.search_price,
        max_prompt_length: model.max_prompt_length,
        created: convert::seconds(model.created),
        system_fingerprint: model.system_fingerprint,
        // The real API does not say whether a model reasons; its answers show it.
        reasoning: false,
    }
}

fn image_model(model: up::ImageGenerationModel) -> ImageGenerationModel {
    ImageGenerationModel {
        name: model.name,
        version: model.version,
        aliases: model.aliases,
        input_modalities: convert::modalities(model.input_modalities),
        output_modalities: convert::modalities(model.output_modalities),
        image_price: model.image_price,
        max_prompt_length: model.max_prompt_length,
        created: convert::seconds(model.created),
        system_fingerprint: model.system_fingerprint,
    }
}
