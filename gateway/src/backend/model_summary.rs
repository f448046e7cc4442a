//! A typed model in the summary ListModels and GetModel answer with; both backends compose
//! those two RPCs from their language and image models.
use crate::proto::{ImageGenerationModel, LanguageModel, Model, ModelKind};

/// Who serves the models (the local backend imitates the real API).
const OWNER: &str = "xai";

impl From<LanguageModel> for Model {
    fn from(model: LanguageModel) -> Self {
        Model {
            name: model.name,
            kind: ModelKind::Language as i32,
            version: model.version,
            aliases: model.aliases,
            input_modalities: model.input_modalities,
            output_modalities: model.output_modalities,
            created: model.created,
            max_prompt_length: model.max_prompt_length,
            owned_by: OWNER.into(),
        }
    }
}

impl From<ImageGenerationModel> for Model {
    fn from(model: ImageGenerationModel) -> Self {
        Model {
            name: model.name,
            kind: ModelKind::ImageGeneration as i32,
            version: model.version,
            aliases: model.aliases,
            input_modalities: model.input_modalities,
            output_modalities: model.output_modalities,
            created: model.created,
            max_prompt_length: model.max_prompt_length,
            owned_by: OWNER.into(),
        }
    }
}
