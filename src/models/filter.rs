//! Which models the list shows.
use crate::proto::{Modality, Model, ModelKind};

/// The list's filter: kind, an input modality, and a search text over names and aliases.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ModelFilter {
    /// Only this kind, if set.
    pub kind: Option<ModelKind>,
    /// Only models that take this input, if set.
    pub input: Option<Modality>,
    /// Only models that give this output, if set.
    pub output: Option<Modality>,
    /// Case-insensitive text to find in the name or an alias.
    pub search: String,
}

impl ModelFilter {
    /// Whether the model passes the filter.
    pub fn matches(&self, model: &Model) -> bool {
        let kind_ok = self.kind.is_none_or(|kind| model.kind() == kind);
        let input_ok = self.input.is_none_or(|input| model.input_modalities().any(|m| m == input));
        let output_ok = self.output.is_none_or(|output| model.output_modalities().any(|m| m == output));
        let needle = self.search.trim().to_lowercase();
        let search_ok = needle.is_empty()
            || model.name.to_lowercase().contains(&needle)
            || model.aliases.iter().any(|alias| alias.to_lowercase().contains(&needle));
        kind_ok && input_ok && output_ok && search_ok
    }
}

/// The modality a filter menu's value names ("text", "image", "embedding"); None for any.
pub fn modality_from_value(value: &str) -> Option<Modality> {
    match value {
        "text" => Some(Modality::Text),
        "image" => Some(Modality::Image),
        "embedding" => Some(Modality::Embedding),
        _ => None,
    }
}

/// The longest prompt in the model's own unit: tokens for language models (the context length),
/// characters for image models.
pub fn prompt_limit(model: &Model) -> Option<String> {
    (model.max_prompt_length > 0).then(|| match model.kind() {
        ModelKind::ImageGeneration => format!("{} characters", model.max_prompt_length),
        _ => format!("{} tokens", crate::format::tokens(i64::from(model.max_prompt_length))),
    })
}

/// "Text, Image" for a list of modalities.
pub fn modality_names(modalities: impl Iterator<Item = Modality>) -> String {
    modalities
        .map(|modality| match modality {
            Modality::Text => "text",
            Modality::Image => "image",
            Modality::Embedding => "embedding",
            Modality::Unspecified => "?",
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(name: &str, kind: ModelKind, inputs: &[Modality], aliases: &[&str]) -> Model {
        let output = if kind == ModelKind::ImageGeneration { Modality::Image } else { Modality::Text };
        Model {
            name: name.into(),
            kind: kind as i32,
            input_modalities: inputs.iter().map(|m| *m as i32).collect(),
            output_modalities: vec![output as i32],
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn filters_by_kind_input_and_search() {
        let grok = model("grok-4", ModelKind::Language, &[Modality::Text, Modality::Image], &["grok-4-latest"]);
        let mini = model("grok-3-mini", ModelKind::Language, &[Modality::Text], &[]);
        let image = model("grok-2-image", ModelKind::ImageGeneration, &[Modality::Text], &[]);
        let all = ModelFilter::default();
        assert!(all.matches(&grok) && all.matches(&mini) && all.matches(&image));

        let language = ModelFilter { kind: Some(ModelKind::Language), ..Default::default() };
        assert!(language.matches(&grok) && !language.matches(&image));

        let vision = ModelFilter { input: Some(Modality::Image), ..Default::default() };
        assert!(vision.matches(&grok) && !vision.matches(&mini));

        let draws = ModelFilter { output: modality_from_value("image"), ..Default::default() };
        assert!(draws.matches(&image) && !draws.matches(&grok));
        assert_eq!(modality_from_value("any"), None);

        let by_alias = ModelFilter { search: " LATEST ".into(), ..Default::default() };
        assert!(by_alias.matches(&grok) && !by_alias.matches(&mini));
    }

    #[test]
    fn modalities_read_as_words() {
        assert_eq!(modality_names([Modality::Text, Modality::Image].into_iter()), "text, image");
    }

    #[test]
    fn prompt_limits_use_the_model_kind_unit() {
        let mut language = model("grok-4", ModelKind::Language, &[], &[]);
        language.max_prompt_length = 256_000;
        assert_eq!(prompt_limit(&language).as_deref(), Some("256K tokens"));
        let mut image = model("grok-2-image", ModelKind::ImageGeneration, &[], &[]);
        image.max_prompt_length = 1024;
        assert_eq!(prompt_limit(&image).as_deref(), Some("1024 characters"));
        image.max_prompt_length = 0;
        assert_eq!(prompt_limit(&image), None);
    }
}
