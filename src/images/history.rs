//! The generation history: what was asked, and the images themselves (as data URLs, so the
//! history does not depend on a gateway still serving a URL). Newest first.
use serde::{Deserialize, Serialize};

use super::files;
use crate::proto::{generated_image, GeneratedImage, ImageResponse};

/// Create or edit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum GenerationKind {
    Create,
    Edit,
}

/// One image, kept with its bytes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredImage {
    /// `data:image/png;base64,...`
    pub data_url: String,
    pub width: i32,
    pub height: i32,
    /// The prompt as the model rewrote it (empty when it did not).
    pub revised_prompt: String,
}

/// One call and its images.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Generation {
    pub id: String,
    /// When it finished, milliseconds since the epoch.
    pub created_ms: f64,
    pub kind: GenerationKind,
    pub prompt: String,
    pub model: String,
    /// The aspect ratio asked for (proto value).
    pub aspect_ratio: i32,
    /// Cost in USD ticks (1e-10 USD).
    pub cost_usd_ticks: i64,
    /// For edits: the source image (data URL), shown before the results.
    pub source: Option<String>,
    pub images: Vec<StoredImage>,
}

/// Where an answered image's bytes are.
#[derive(Clone, Debug, PartialEq)]
pub enum ImageBytes {
    /// Inline already: a data URL.
    Inline(String),
    /// To be fetched (absolute URL).
    Remote(String),
}

/// An answered image before its bytes are in hand.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingImage {
    pub bytes: ImageBytes,
    pub width: i32,
    pub height: i32,
    pub revised_prompt: String,
}

impl PendingImage {
    /// The image once its bytes are a data URL.
    pub fn stored(self, data_url: String) -> StoredImage {
        StoredImage { data_url, width: self.width, height: self.height, revised_prompt: self.revised_prompt }
    }
}

/// The images of an answer; relative URLs are resolved against `endpoint` (the gateway's origin).
/// An image with neither data nor URL is an error: the answer is broken.
pub fn pending_images(response: &ImageResponse, endpoint: &str) -> Result<Vec<PendingImage>, String> {
    response
        .images
        .iter()
        .enumerate()
        .map(|(index, image)| {
            let bytes = match &image.image {
                Some(generated_image::Image::Base64(data)) if !data.is_empty() => {
                    ImageBytes::Inline(files::data_url(&image.mime_type, data))
                }
                Some(generated_image::Image::Url(url)) if !url.is_empty() => ImageBytes::Remote(resolve_url(endpoint, url)),
                _ => return Err(format!("image {} of the answer has neither data nor a URL", index + 1)),
            };
            Ok(pending(image, bytes))
        })
        .collect()
}

fn pending(image: &GeneratedImage, bytes: ImageBytes) -> PendingImage {
    PendingImage { bytes, width: image.width, height: image.height, revised_prompt: image.revised_prompt.clone() }
}

/// An absolute URL for an image URL the service gave: absolute and data URLs stay; a path is
/// taken relative to the endpoint's origin.
pub fn resolve_url(endpoint: &str, url: &str) -> String {
    if url.starts_with("http://") || url.starts_with("https://") || url.starts_with("data:") {
        return url.to_owned();
    }
    let endpoint = endpoint.trim_end_matches('/');
    let origin = match endpoint.find("://") {
        Some(scheme_end) => match endpoint[scheme_end + 3..].find('/') {
            Some(path_start) => &endpoint[..scheme_end + 3 + path_start],
            None => endpoint,
        },
        None => endpoint,
    };
    if url.starts_with('/') {
        format!("{origin}{url}")
    } else {
        format!("{endpoint}/{url}")
    }
}

/// Puts a generation in the list, newest first (replacing one with the same id).
pub fn insert(history: &mut Vec<Generation>, generation: Generation) {
    history.retain(|g| g.id != generation.id);
    let at = history.iter().position(|g| g.created_ms < generation.created_ms).unwrap_or(history.len());
    history.insert(at, generation);
}

/// Removes a generation; true if it was there.
pub fn remove(history: &mut Vec<Generation>, id: &str) -> bool {
    let before = history.len();
    history.retain(|g| g.id != id);
    history.len() != before
}

/// Orders loaded records newest first.
pub fn newest_first(mut history: Vec<Generation>) -> Vec<Generation> {
    history.sort_by(|a, b| b.created_ms.total_cmp(&a.created_ms));
    history
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::Usage;

    fn generation(id: &str, created_ms: f64) -> Generation {
        Generation {
            id: id.into(),
            created_ms,
            kind: GenerationKind::Create,
            prompt: format!("prompt {id}"),
            model: "m".into(),
            aspect_ratio: 1,
            cost_usd_ticks: 0,
            source: None,
            images: Vec::new(),
        }
    }

    #[test]
    fn history_is_newest_first_whatever_the_insert_order() {
        let mut history = Vec::new();
        insert(&mut history, generation("b", 2.0));
        insert(&mut history, generation("a", 1.0));
        insert(&mut history, generation("c", 3.0));
        let ids: Vec<_> = history.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids, ["c", "b", "a"]);
        let loaded = newest_first(vec![generation("x", 5.0), generation("y", 9.0), generation("z", 7.0)]);
        assert_eq!(loaded.iter().map(|g| g.id.as_str()).collect::<Vec<_>>(), ["y", "z", "x"]);
    }

    #[test]
    fn insert_replaces_and_remove_deletes_only_its_entry() {
        let mut history = vec![generation("b", 2.0), generation("a", 1.0)];
        let mut updated = generation("a", 1.0);
        updated.prompt = "changed".into();
        insert(&mut history, updated);
        assert_eq!(history.len(), 2);
        assert_eq!(history[1].prompt, "changed");
        assert!(remove(&mut history, "b"));
        assert!(!remove(&mut history, "b"));
        assert_eq!(history.iter().map(|g| g.id.as_str()).collect::<Vec<_>>(), ["a"]);
    }

    #[test]
    fn urls_are_resolved_against_the_endpoint_origin() {
        assert_eq!(resolve_url("http://127.0.0.1:8080", "/images/img_1.png"), "http://127.0.0.1:8080/images/img_1.png");
        assert_eq!(resolve_url("https://gw.example/api/", "/images/a.png"), "https://gw.example/images/a.png");
        assert_eq!(resolve_url("https://gw.example/api", "a.png"), "https://gw.example/api/a.png");
        assert_eq!(resolve_url("http://x", "https://cdn.example/a.png"), "https://cdn.example/a.png");
    }

    #[test]
    fn answers_become_inline_or_remote_images() {
        let response = ImageResponse {
            images: vec![
                GeneratedImage {
                    image: Some(generated_image::Image::Base64("iVBOR".into())),
                    mime_type: "image/png".into(),
                    width: 4,
                    height: 3,
                    revised_prompt: String::new(),
                },
                GeneratedImage {
                    image: Some(generated_image::Image::Url("/images/i.png".into())),
                    mime_type: String::new(),
                    width: 4,
                    height: 3,
                    revised_prompt: "r".into(),
                },
            ],
            model: "m".into(),
            usage: Some(Usage::default()),
        };
        let images = pending_images(&response, "http://h:1").unwrap();
        assert_eq!(images[0].bytes, ImageBytes::Inline("data:image/png;base64,iVBOR".into()));
        assert_eq!(images[1].bytes, ImageBytes::Remote("http://h:1/images/i.png".into()));
        assert_eq!(images[1].clone().stored("data:x".into()).revised_prompt, "r");
        let broken = ImageResponse { images: vec![GeneratedImage::default()], ..Default::default() };
        assert_eq!(pending_images(&broken, "http://h").unwrap_err(), "image 1 of the answer has neither data nor a URL");
    }
}
