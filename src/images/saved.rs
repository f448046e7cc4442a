//! What the Images page keeps across reloads (the tab's sessionStorage: another tab has its own): each form's fields as typed, the open
//! tab, and which call was under way. A reload ends a call (it goes with the page; its images
//! never arrive): the form says so, with the prompt still there to ask again. The edit's source
//! and reference images are not kept: they can be megabytes, past what sessionStorage holds.
use serde::{Deserialize, Serialize};

use super::options::ImageParams;
use crate::proto::{ImageAspectRatio, ImageFormat, ImageResolution};

/// The sessionStorage key.
pub const KEY: &str = "xai-web.images";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedImages {
    pub create: Option<SavedForm>,
    pub edit: Option<SavedForm>,
    pub edit_tab: bool,
}

/// One form; enums as their proto values.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedForm {
    pub prompt: String,
    pub model: String,
    pub count: String,
    pub format: i32,
    pub aspect_ratio: i32,
    pub resolution: i32,
    /// What the call under way was doing ("Drawing 2 image(s)"), None when none was.
    pub running: Option<String>,
    /// That call's id in [`crate::work::live_calls`]: still listed there, it runs on in the tab
    /// this one was copied from, and was not cut short.
    pub call: Option<String>,
}

impl SavedForm {
    pub fn of(params: &ImageParams, running: Option<String>, call: Option<String>) -> Self {
        SavedForm {
            prompt: params.prompt.clone(),
            model: params.model.clone(),
            count: params.count.clone(),
            format: params.format as i32,
            aspect_ratio: params.aspect_ratio as i32,
            resolution: params.resolution as i32,
            running,
            call,
        }
    }

    /// The fields over `defaults` (a value this version does not know keeps the default).
    pub fn params(&self, defaults: ImageParams) -> ImageParams {
        ImageParams {
            prompt: self.prompt.clone(),
            model: self.model.clone(),
            count: if self.count.is_empty() { defaults.count } else { self.count.clone() },
            format: ImageFormat::try_from(self.format).unwrap_or(defaults.format),
            aspect_ratio: ImageAspectRatio::try_from(self.aspect_ratio).unwrap_or(defaults.aspect_ratio),
            resolution: ImageResolution::try_from(self.resolution).unwrap_or(defaults.resolution),
        }
    }
}

/// What the form says after a reload cut its call short.
pub fn interrupted_note(step: &str) -> String {
    format!("Interrupted by a reload ({}): its images never arrived. The prompt is kept: ask again.", step.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_round_trips_and_unknown_values_fall_back_to_the_defaults() {
        let params = ImageParams {
            prompt: "a lighthouse".into(),
            count: "3".into(),
            format: ImageFormat::Url,
            aspect_ratio: ImageAspectRatio::Auto,
            ..Default::default()
        };
        let saved = SavedForm::of(&params, Some("Drawing 3 image(s)".into()), Some("c1".into()));
        let read: SavedForm = serde_json::from_str(&serde_json::to_string(&saved).unwrap()).unwrap();
        assert_eq!(read.params(ImageParams::default()), params);
        assert_eq!(read.running.as_deref(), Some("Drawing 3 image(s)"));
        assert_eq!(read.call.as_deref(), Some("c1"));

        let odd = SavedForm { format: 999, aspect_ratio: -5, resolution: 77, ..Default::default() };
        let defaults = ImageParams::default();
        let read = odd.params(defaults.clone());
        assert_eq!(
            (read.format, read.aspect_ratio, read.resolution, read.count),
            (defaults.format, defaults.aspect_ratio, defaults.resolution, defaults.count)
        );
    }

    #[test]
    fn the_note_names_what_was_cut_short() {
        assert_eq!(
            interrupted_note("Drawing 2 image(s)"),
            "Interrupted by a reload (drawing 2 image(s)): its images never arrived. The prompt is kept: ask again."
        );
    }
}
