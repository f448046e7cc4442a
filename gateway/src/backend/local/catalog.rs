//! The models the local backend pretends to serve, with realistic names, aliases and prices.
//! Token prices are in 1e-4 USD per million tokens, so tokens × price = USD ticks (1e-10 USD).
use tonic::Status;

use crate::proto::{ImageGenerationModel, LanguageModel, Modality, Model};

const FINGERPRINT: &str = "fp_local_0001";
const TEXT: i32 = Modality::Text as i32;
const IMAGE: i32 = Modality::Image as i32;

struct LanguageSpec {
    name: &'static str,
    version: &'static str,
    aliases: &'static [&'static str],
    vision: bool,
    reasoning: bool,
    prompt_price: i64,
    cached_price: i64,
    completion_price: i64,
    max_prompt_length: i32,
    created: i64,
}

const LANGUAGE_MODELS: [LanguageSpec; 5] = [
    LanguageSpec {
        name: "grok-4",
        version: "0709",
        aliases: &["grok-4-latest", "grok-4-0709"],
        vision: true,
        reasoning: true,
        prompt_price: 30_000,
        cached_price: 7_500,
        completion_price: 150_000,
        max_prompt_length: 256_000,
        created: 1_752_019_200,
    },
    LanguageSpec {
        name: "grok-3",
        version: "1.0",
        aliases: &["grok-3-latest"],
        vision: false,
        reasoning: false,
        prompt_price: 30_000,
        cached_price: 7_500,
        completion_price: 150_000,
        max_prompt_length: 131_072,
        created: 1_743_724_800,
    },
    LanguageSpec {
        name: "grok-3-mini",
        version: "1.0",
        aliases: &["grok-3-mini-latest"],
        vision: false,
        reasoning: true,
        prompt_price: 3_000,
        cached_price: 750,
        completion_price: 5_000,
        max_prompt_length: 131_072,
        created: 1_743_724_800,
    },
    LanguageSpec {
        name: "grok-code-fast-1",
        version: "0825",
        aliases: &["grok-code-fast", "grok-code-fast-1-0825"],
        vision: false,
        reasoning: false,
        prompt_price: 2_000,
        cached_price: 200,
        completion_price: 15_000,
        max_prompt_length: 256_000,
        created: 1_756_080_000,
    },
    LanguageSpec {
        name: "grok-2-vision-1212",
        version: "1212",
        aliases: &["grok-2-vision", "grok-2-vision-latest"],
        vision: true,
        reasoning: false,
        prompt_price: 20_000,
        cached_price: 0,
        completion_price: 100_000,
        max_prompt_length: 32_768,
        created: 1_733_961_600,
    },
];

struct ImageSpec {
    name: &'static str,
    version: &'static str,
    aliases: &'static [&'static str],
    image_price: i64,
    max_prompt_length: i32,
    created: i64,
}

const IMAGE_MODELS: [ImageSpec; 2] = [
    ImageSpec {
        name: "grok-2-image-1212",
        version: "1212",
        aliases: &["grok-2-image", "grok-2-image-latest"],
        image_price: 700_000_000,
        max_prompt_length: 1024,
        created: 1_733_961_600,
    },
    ImageSpec {
        name: "grok-imagine-image",
        version: "1.0",
        aliases: &["grok-imagine-image-latest"],
        image_price: 200_000_000,
        max_prompt_length: 4096,
        created: 1_754_006_400,
    },
];

fn aliases(list: &[&str]) -> Vec<String> {
    list.iter().map(|alias| alias.to_string()).collect()
}

fn language_model(spec: &LanguageSpec) -> LanguageModel {
    LanguageModel {
        name: spec.name.into(),
        version: spec.version.into(),
        aliases: aliases(spec.aliases),
        input_modalities: if spec.vision { vec![TEXT, IMAGE] } else { vec![TEXT] },
        output_modalities: vec![TEXT],
        prompt_text_token_price: spec.prompt_price,
        prompt_image_token_price: if spec.vision { spec.prompt_price } else { 0 },
        cached_prompt_token_price: spec.cached_price,
        completion_text_token_price: spec.completion_price,
        search_price: 250_000_000,
        max_prompt_length: spec.max_prompt_length,
        created: spec.created,
        system_fingerprint: FINGERPRINT.into(),
        reasoning: spec.reasoning,
    }
}

fn image_model(spec: &ImageSpec) -> ImageGenerationModel {
    ImageGenerationModel {
        name: spec.name.into(),
        version: spec.version.into(),
        aliases: aliases(spec.aliases),
        input_modalities: vec![TEXT, IMAGE],
        output_modalities: vec![IMAGE],
        image_price: spec.image_price,
        max_prompt_length: spec.max_prompt_length,
        created: spec.created,
        system_fingerprint: FINGERPRINT.into(),
    }
}

/// Language models, sorted by name.
pub fn language_models() -> Vec<LanguageModel> {
    let mut models: Vec<_> = LANGUAGE_MODELS.iter().map(language_model).collect();
    models.sort_by(|a, b| a.name.cmp(&b.name));
    models
}

/// Image generation models, sorted by name.
pub fn image_models() -> Vec<ImageGenerationModel> {
    let mut models: Vec<_> = IMAGE_MODELS.iter().map(image_model).collect();
    models.sort_by(|a, b| a.name.cmp(&b.name));
    models
}

/// Every model in summary, sorted by name.
pub fn all_models() -> Vec<Model> {
    let language = language_models().into_iter().map(Model::from);
    let image = image_models().into_iter().map(Model::from);
    let mut models: Vec<_> = language.chain(image).collect();
    models.sort_by(|a, b| a.name.cmp(&b.name));
    models
}

fn matches(name: &str, canonical: &str, aliases: &[String]) -> bool {
    canonical == name || aliases.iter().any(|alias| alias == name)
}

fn not_found(kind: &str, name: &str) -> Status {
    if name.is_empty() {
        return Status::invalid_argument(format!("no {kind} given: set the model field"));
    }
    Status::not_found(format!("{kind} {name:?} not found; ListModels shows the available names and aliases"))
}

pub fn find_language_model(name: &str) -> Result<LanguageModel, Status> {
    language_models().into_iter().find(|model| matches(name, &model.name, &model.aliases)).ok_or_else(|| not_found("language model", name))
}

pub fn find_image_model(name: &str) -> Result<ImageGenerationModel, Status> {
    image_models()
        .into_iter()
        .find(|model| matches(name, &model.name, &model.aliases))
        .ok_or_else(|| not_found("image generation model", name))
}

pub fn find_model(name: &str) -> Result<Model, Status> {
    all_models().into_iter().find(|model| matches(name, &model.name, &model.aliases)).ok_or_else(|| not_found("model", name))
}
