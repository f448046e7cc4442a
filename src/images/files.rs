//! Image files: download names, the checks an edit source passes before it is read or sent, and
//! data URLs.

use crate::{components::file_io::slug, image_type::sniff_data_url};

/// Image types the edit call takes (the service decodes PNG and JPEG).
pub const EDIT_TYPES: &[&str] = &["image/png", "image/jpeg"];
/// Largest edit source or reference image, in bytes (the real API's limit per image is 10 MiB).
pub const MAX_EDIT_BYTES: u64 = 10 * 1024 * 1024;
/// Most reference images besides the source.
pub const MAX_REFERENCES: usize = 4;
/// Longest prompt part of a download name, in characters.
const MAX_SLUG_CHARS: usize = 40;

/// Why a picked, pasted or dropped file cannot be used as an edit image.
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum SourceError {
    #[error("{name} is not a PNG or JPEG image ({mime}); pick a .png or .jpg file")]
    NotAnImage { name: String, mime: String },
    #[error("{name} is {size_mb:.1} MB; images may be at most 10 MB")]
    TooLarge { name: String, size_mb: f64 },
    #[error("{name} claims to be an image, but its content is not PNG or JPEG data")]
    BadContent { name: String },
    #[error("at most {MAX_REFERENCES} reference images")]
    TooManyReferences,
}

/// Checks a file's declared type and size before it is read.
pub fn check_source(name: &str, mime: &str, size: u64) -> Result<(), SourceError> {
    if !EDIT_TYPES.contains(&mime) {
        let mime = if mime.is_empty() { "unknown type".to_owned() } else { mime.to_owned() };
        return Err(SourceError::NotAnImage { name: name.to_owned(), mime });
    }
    if size > MAX_EDIT_BYTES {
        return Err(SourceError::TooLarge { name: name.to_owned(), size_mb: size as f64 / 1_048_576.0 });
    }
    Ok(())
}

/// Checks a read file's content (the check Chat's attachments share, see `image_type`): a
/// renamed text file has an image type but no image inside; the edit call takes PNG or JPEG.
pub fn check_content(name: &str, data_url: &str) -> Result<(), SourceError> {
    match sniff_data_url(data_url) {
        Some(mime) if EDIT_TYPES.contains(&mime) => Ok(()),
        _ => Err(SourceError::BadContent { name: name.to_owned() }),
    }
}

/// A data URL from a MIME type and base64 data (PNG when the type is missing).
pub fn data_url(mime: &str, base64: &str) -> String {
    let mime = if mime.is_empty() { "image/png" } else { mime };
    format!("data:{mime};base64,{base64}")
}

/// The MIME type a data URL declares.
pub fn mime_of(data_url: &str) -> &str {
    data_url.strip_prefix("data:").and_then(|rest| rest.split([';', ',']).next()).filter(|m| !m.is_empty()).unwrap_or("image/png")
}

/// File extension for an image type.
pub fn extension_for(mime: &str) -> &'static str {
    match mime {
        "image/jpeg" | "image/jpg" => "jpg",
        "image/webp" => "webp",
        "image/gif" => "gif",
        _ => "png",
    }
}

/// A download name: the prompt as a short slug, the 1-based image number, the type's extension,
/// e.g. "a-red-fox-in-snow-2.png".
pub fn download_name(prompt: &str, index: usize, mime: &str) -> String {
    format!("{}-{}.{}", slug(prompt, MAX_SLUG_CHARS, "image"), index + 1, extension_for(mime))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &str = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB";

    #[test]
    fn download_names_are_prompt_slugs_numbered_from_one() {
        assert_eq!(download_name("A red fox, in snow!", 0, "image/png"), "a-red-fox-in-snow-1.png");
        assert_eq!(download_name("../../etc/passwd", 1, "image/jpeg"), "etc-passwd-2.jpg");
        assert_eq!(download_name("???", 2, ""), "image-3.png");
        assert_eq!(download_name("Ünïcode Größe", 0, "image/png"), "ünïcode-größe-1.png");
    }

    #[test]
    fn long_prompts_are_cut_at_a_word() {
        let name = download_name("a very long prompt about many many things that goes on and on", 0, "image/png");
        assert_eq!(name, "a-very-long-prompt-about-many-many-1.png");
        let one_word = download_name(&"x".repeat(100), 0, "image/png");
        assert_eq!(one_word, format!("{}-1.png", "x".repeat(40)));
    }

    #[test]
    fn only_png_and_jpeg_within_10_mb_pass() {
        assert_eq!(check_source("a.png", "image/png", 1000), Ok(()));
        assert_eq!(check_source("a.jpg", "image/jpeg", MAX_EDIT_BYTES), Ok(()));
        let text = check_source("notes.txt", "text/plain", 10).unwrap_err();
        assert_eq!(text.to_string(), "notes.txt is not a PNG or JPEG image (text/plain); pick a .png or .jpg file");
        assert!(matches!(check_source("x", "", 1), Err(SourceError::NotAnImage { mime, .. }) if mime == "unknown type"));
        let big = check_source("big.png", "image/png", 12 * 1024 * 1024).unwrap_err();
        assert_eq!(big.to_string(), "big.png is 12.0 MB; images may be at most 10 MB");
    }

    #[test]
    fn content_must_really_be_an_image() {
        assert!(check_content("fake.png", "data:image/png;base64,aGVsbG8=").is_err());
        assert!(check_content("real.png", PNG).is_ok());
        assert!(check_content("real.jpg", "data:image/jpeg;base64,/9j/4AAQSkZJRg").is_ok());
        // A real GIF is an image, but not one the edit call takes.
        assert!(check_content("anim.png", "data:image/png;base64,R0lGODlhAQABAIAAAP").is_err());
    }

    #[test]
    fn data_urls_round_trip_their_type() {
        assert_eq!(data_url("", "AAAA"), "data:image/png;base64,AAAA");
        assert_eq!(mime_of(&data_url("image/jpeg", "AAAA")), "image/jpeg");
        assert_eq!(mime_of("nonsense"), "image/png");
        assert_eq!(extension_for(mime_of(PNG)), "png");
    }
}
