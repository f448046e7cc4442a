//! Which models the list shows.
use crate::proto::{Modality, Model, ModelKind};

/// The list's filter: kind, an input modality, and a search text over names and aliases.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ModelFilter {
    /// Only this kind, if set.
    pub kind: Option<ModelKind>,
    /// Only models that take this input, if set.
    pub input: Option<Modality>,
    /// Case-insensitive text to find in the name or an alias.
    pub search: String,
}

impl ModelFilter {
    /// Whether the model passes the filter.
    pub fn matches(&self, model: &Model) -> bool {
        let kind_ok = self.kind.is_none_or(|kind| model.kind() == kind);
        let input_ok = self.input.is_none_or(|input| model.input_modalities().any(|m| m == input));
        let needle = self.search.trim().to_lowercase();
        let search_ok = needle.is_empty()
            || model.name.to_lowercase().contains(&needle)
            || model.aliases.iter().any(|alias| alias.to_lowercase().contains(&needle));
        kind_ok && input_ok && search_ok
    }
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
        Model {
            name: name.into(),
            kind: kind as i32,
            input_modalities: inputs.iter().map(|m| *m as i32).collect(),
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

        let by_alias = ModelFilter { search: " LATEST ".into(), ..Default::default() };
        assert!(by_alias.matches(&grok) && !by_alias.matches(&mini));
    }

    #[test]
    fn modalities_read_as_words() {
        assert_eq!(modality_names([Modality::Text, Modality::Image].into_iter()), "text, image");
    }
}
