//! The choices of the image forms and the requests built from them, validated before sending.
use crate::proto::{ImageAspectRatio, ImageEditRequest, ImageFormat, ImageRequest, ImageResolution, ImageUrl};

/// Shapes offered, with their labels (the proto's values, in the order a user scans them).
pub const ASPECT_RATIOS: &[(ImageAspectRatio, &str)] = &[
    (ImageAspectRatio::ImageAspectRatio11, "1:1 square"),
    (ImageAspectRatio::ImageAspectRatio43, "4:3 landscape"),
    (ImageAspectRatio::ImageAspectRatio32, "3:2 landscape"),
    (ImageAspectRatio::ImageAspectRatio169, "16:9 wide"),
    (ImageAspectRatio::ImageAspectRatio34, "3:4 portrait"),
    (ImageAspectRatio::ImageAspectRatio23, "2:3 portrait"),
    (ImageAspectRatio::ImageAspectRatio916, "9:16 tall"),
    (ImageAspectRatio::Auto, "auto (edits keep the source's shape)"),
];

/// Size classes offered.
pub const RESOLUTIONS: &[(ImageResolution, &str)] =
    &[(ImageResolution::ImageResolution1k, "1K"), (ImageResolution::ImageResolution2k, "2K")];

/// How the images come back.
pub const FORMATS: &[(ImageFormat, &str)] = &[(ImageFormat::Base64, "base64 (inline)"), (ImageFormat::Url, "URL (fetched and kept)")];

/// Most images per call.
pub const MAX_COUNT: i32 = 10;

/// What the create and edit forms hold.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageParams {
    pub prompt: String,
    pub model: String,
    /// The count as typed.
    pub count: String,
    pub format: ImageFormat,
    pub aspect_ratio: ImageAspectRatio,
    pub resolution: ImageResolution,
}

impl Default for ImageParams {
    fn default() -> Self {
        ImageParams {
            prompt: String::new(),
            model: String::new(),
            count: "1".into(),
            format: ImageFormat::Base64,
            aspect_ratio: ImageAspectRatio::ImageAspectRatio11,
            resolution: ImageResolution::ImageResolution1k,
        }
    }
}

/// Why a form cannot be sent.
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum ParamsError {
    #[error("Describe the image: the prompt is empty")]
    EmptyPrompt,
    #[error("The prompt is {length} characters; {model} accepts at most {max}")]
    PromptTooLong { length: usize, model: String, max: i32 },
    #[error("Pick a model (the model list has not loaded)")]
    NoModel,
    #[error("Number of images must be a whole number from 1 to {MAX_COUNT}, not {0:?}")]
    BadCount(String),
    #[error("Choose an image to edit first")]
    NoSource,
}

impl ImageParams {
    /// The checked count and trimmed prompt. `max_prompt_length` is the chosen model's limit.
    fn checked(&self, max_prompt_length: Option<i32>) -> Result<(String, i32), ParamsError> {
        let prompt = self.prompt.trim();
        if prompt.is_empty() {
            return Err(ParamsError::EmptyPrompt);
        }
        if self.model.is_empty() {
            return Err(ParamsError::NoModel);
        }
        let length = prompt.chars().count();
        if let Some(max) = max_prompt_length.filter(|max| *max > 0 && length > *max as usize) {
            return Err(ParamsError::PromptTooLong { length, model: self.model.clone(), max });
        }
        let count = parse_count(&self.count)?;
        Ok((prompt.to_owned(), count))
    }

    /// A CreateImage request.
    pub fn create_request(&self, max_prompt_length: Option<i32>) -> Result<ImageRequest, ParamsError> {
        let (prompt, n) = self.checked(max_prompt_length)?;
        Ok(ImageRequest {
            prompt,
            model: self.model.clone(),
            n: Some(n),
            format: self.format as i32,
            aspect_ratio: self.aspect_ratio as i32,
            resolution: self.resolution as i32,
            user: String::new(),
        })
    }

    /// An EditImage request for a source and reference images (data URLs).
    pub fn edit_request(
        &self,
        max_prompt_length: Option<i32>,
        source: Option<&str>,
        references: &[String],
    ) -> Result<ImageEditRequest, ParamsError> {
        let source = source.ok_or(ParamsError::NoSource)?;
        let (prompt, n) = self.checked(max_prompt_length)?;
        let image_url = |url: &str| ImageUrl { url: url.to_owned(), ..Default::default() };
        Ok(ImageEditRequest {
            prompt,
            model: self.model.clone(),
            image: Some(image_url(source)),
            references: references.iter().map(|url| image_url(url)).collect(),
            n: Some(n),
            format: self.format as i32,
            aspect_ratio: self.aspect_ratio as i32,
            resolution: self.resolution as i32,
            user: String::new(),
        })
    }
}

/// The number of images from the form's text, 1..=10.
pub fn parse_count(text: &str) -> Result<i32, ParamsError> {
    match text.trim().parse::<i32>() {
        Ok(n) if (1..=MAX_COUNT).contains(&n) => Ok(n),
        _ => Err(ParamsError::BadCount(text.trim().to_owned())),
    }
}

/// Parses an aspect ratio from its `<option>` value (the proto number).
pub fn aspect_ratio_from(value: &str) -> ImageAspectRatio {
    value.parse::<i32>().ok().and_then(|n| ImageAspectRatio::try_from(n).ok()).unwrap_or(ImageAspectRatio::ImageAspectRatio11)
}

/// Parses a resolution from its `<option>` value.
pub fn resolution_from(value: &str) -> ImageResolution {
    value.parse::<i32>().ok().and_then(|n| ImageResolution::try_from(n).ok()).unwrap_or(ImageResolution::ImageResolution1k)
}

/// Parses a format from its `<option>` value.
pub fn format_from(value: &str) -> ImageFormat {
    value.parse::<i32>().ok().and_then(|n| ImageFormat::try_from(n).ok()).unwrap_or(ImageFormat::Base64)
}

/// The short label of an aspect ratio (for history entries), e.g. "16:9".
pub fn aspect_ratio_label(value: i32) -> &'static str {
    let label = ASPECT_RATIOS.iter().find(|(ratio, _)| *ratio as i32 == value).map(|(_, label)| *label).unwrap_or("1:1");
    label.split(' ').next().unwrap_or(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(prompt: &str, count: &str) -> ImageParams {
        ImageParams { prompt: prompt.into(), model: "grok-2-image".into(), count: count.into(), ..Default::default() }
    }

    #[test]
    fn a_create_request_carries_every_choice() {
        let mut form = params("  a red fox  ", "2");
        form.format = ImageFormat::Url;
        form.aspect_ratio = ImageAspectRatio::ImageAspectRatio169;
        form.resolution = ImageResolution::ImageResolution2k;
        let request = form.create_request(Some(1000)).unwrap();
        assert_eq!(request.prompt, "a red fox");
        assert_eq!(request.n, Some(2));
        assert_eq!(request.format, ImageFormat::Url as i32);
        assert_eq!(request.aspect_ratio, ImageAspectRatio::ImageAspectRatio169 as i32);
        assert_eq!(request.resolution, ImageResolution::ImageResolution2k as i32);
    }

    #[test]
    fn counts_outside_one_to_ten_are_refused() {
        for bad in ["0", "11", "-1", "two", "", "2.5"] {
            assert!(matches!(parse_count(bad), Err(ParamsError::BadCount(_))), "{bad}");
        }
        assert_eq!(parse_count(" 10 "), Ok(10));
    }

    #[test]
    fn prompts_are_checked_against_the_model() {
        assert_eq!(params("   ", "1").create_request(None), Err(ParamsError::EmptyPrompt));
        let long = params(&"x".repeat(11), "1").create_request(Some(10)).unwrap_err();
        assert_eq!(long.to_string(), "The prompt is 11 characters; grok-2-image accepts at most 10");
        let mut no_model = params("fox", "1");
        no_model.model.clear();
        assert_eq!(no_model.create_request(None), Err(ParamsError::NoModel));
    }

    #[test]
    fn an_edit_needs_a_source_and_carries_references() {
        let form = params("make it blue", "1");
        assert_eq!(form.edit_request(None, None, &[]), Err(ParamsError::NoSource));
        let request = form.edit_request(None, Some("data:image/png;base64,AA"), &["data:image/jpeg;base64,BB".into()]).unwrap();
        assert_eq!(request.image.unwrap().url, "data:image/png;base64,AA");
        assert_eq!(request.references.len(), 1);
        assert_eq!(request.references[0].url, "data:image/jpeg;base64,BB");
    }

    #[test]
    fn option_values_round_trip() {
        for (ratio, _) in ASPECT_RATIOS {
            assert_eq!(aspect_ratio_from(&(*ratio as i32).to_string()), *ratio);
        }
        for (resolution, _) in RESOLUTIONS {
            assert_eq!(resolution_from(&(*resolution as i32).to_string()), *resolution);
        }
        for (format, _) in FORMATS {
            assert_eq!(format_from(&(*format as i32).to_string()), *format);
        }
        assert_eq!(aspect_ratio_from("junk"), ImageAspectRatio::ImageAspectRatio11);
        assert_eq!(aspect_ratio_label(ImageAspectRatio::ImageAspectRatio169 as i32), "16:9");
        assert_eq!(aspect_ratio_label(ImageAspectRatio::Auto as i32), "auto");
    }
}
