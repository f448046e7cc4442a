//! Image: CreateImage and EditImage <-> GenerateImage (an edit sets `image`, or `images` for a
//! multi-reference edit).
use std::io::Cursor;

use base64::Engine as _;
use tonic::Status;

use super::{call, convert, Upstream};
use crate::{
    backend::Caller,
    proto::{
        generated_image, GeneratedImage, ImageAspectRatio, ImageEditRequest, ImageFormat, ImageRequest, ImageResolution, ImageResponse,
    },
    upstream_proto::{self as up, image_client::ImageClient},
};

pub async fn create(upstream: &Upstream, caller: &Caller, request: ImageRequest) -> Result<ImageResponse, Status> {
    generate(upstream, caller, create_to_upstream(request)).await
}

pub async fn edit(upstream: &Upstream, caller: &Caller, request: ImageEditRequest) -> Result<ImageResponse, Status> {
    generate(upstream, caller, edit_to_upstream(request)?).await
}

async fn generate(upstream: &Upstream, caller: &Caller, request: up::GenerateImageRequest) -> Result<ImageResponse, Status> {
    let request = call::request(caller, request)?;
    let response = call::unary(upstream_client!(upstream, ImageClient).generate_image(request).await)?;
    Ok(from_upstream(response))
}

/// Ours "not set" means URL; upstream 0 is invalid.
fn format(format: i32) -> i32 {
    match ImageFormat::try_from(format) {
        Ok(ImageFormat::Base64) => 1,
        Ok(ImageFormat::Url) | Ok(ImageFormat::Unspecified) | Err(_) => 2,
    }
}

fn aspect_ratio(ratio: i32) -> Option<i32> {
    use ImageAspectRatio as Ratio;
    Some(match Ratio::try_from(ratio).ok()? {
        Ratio::Unspecified => return None,
        Ratio::ImageAspectRatio11 => 1,
        Ratio::ImageAspectRatio34 => 2,
        Ratio::ImageAspectRatio43 => 3,
        Ratio::ImageAspectRatio916 => 4,
        Ratio::ImageAspectRatio169 => 5,
        Ratio::ImageAspectRatio23 => 6,
        Ratio::ImageAspectRatio32 => 7,
        Ratio::Auto => 8,
    })
}

fn resolution(resolution: i32) -> Option<i32> {
    match ImageResolution::try_from(resolution).ok()? {
        ImageResolution::Unspecified => None,
        ImageResolution::ImageResolution1k => Some(1),
        ImageResolution::ImageResolution2k => Some(2),
    }
}

pub fn create_to_upstream(request: ImageRequest) -> up::GenerateImageRequest {
    up::GenerateImageRequest {
        prompt: request.prompt,
        model: request.model,
        n: request.n,
        user: request.user,
        format: format(request.format),
        aspect_ratio: aspect_ratio(request.aspect_ratio),
        resolution: resolution(request.resolution),
        ..Default::default()
    }
}

fn edit_to_upstream(request: ImageEditRequest) -> Result<up::GenerateImageRequest, Status> {
    let source = request
        .image
        .filter(|image| !image.url.is_empty())
        .ok_or_else(|| Status::invalid_argument("an edit needs the image to edit: set image.url to a data URL or an https URL"))?;
    let (image, images) = if request.references.is_empty() {
        (Some(convert::image_url(source)), Vec::new())
    } else {
        // A multi-reference edit: the source first, then the references.
        (None, std::iter::once(source).chain(request.references).map(convert::image_url).collect())
    };
    Ok(up::GenerateImageRequest {
        prompt: request.prompt,
        model: request.model,
        n: request.n,
        user: request.user,
        image,
        images,
        format: format(request.format),
        aspect_ratio: aspect_ratio(request.aspect_ratio),
        resolution: resolution(request.resolution),
    })
}

pub fn from_upstream(response: up::ImageResponse) -> ImageResponse {
    ImageResponse {
        images: response.images.into_iter().filter_map(|image| image.image).map(image_from_upstream).collect(),
        model: response.model,
        usage: convert::usage(response.usage),
    }
}

/// Upstream base64 may come as a data URL; ours is bare base64 with the MIME type beside it.
/// Width and height are read from the image header when the data is inline.
fn image_from_upstream(image: up::generated_image::Image) -> GeneratedImage {
    match image {
        up::generated_image::Image::Url(url) => GeneratedImage { image: Some(generated_image::Image::Url(url)), ..Default::default() },
        up::generated_image::Image::Base64(data) => {
            let (declared_mime, payload) = match data.strip_prefix("data:").and_then(|rest| rest.split_once(";base64,")) {
                Some((mime, payload)) => (Some(mime.to_string()), payload.to_string()),
                None => (None, data),
            };
            let header = decode_prefix(&payload);
            let mime_type = declared_mime.unwrap_or_else(|| sniff_mime(&header).to_string());
            let (width, height) = dimensions(&payload).unwrap_or((0, 0));
            GeneratedImage { image: Some(generated_image::Image::Base64(payload)), mime_type, width, height, revised_prompt: String::new() }
        }
    }
}

/// The first bytes of base64 `payload` (enough for a file signature).
fn decode_prefix(payload: &str) -> Vec<u8> {
    let prefix = &payload[..payload.len().min(64) / 4 * 4];
    base64::engine::general_purpose::STANDARD.decode(prefix).unwrap_or_default()
}

fn sniff_mime(header: &[u8]) -> &'static str {
    if header.starts_with(b"\x89PNG") {
        "image/png"
    } else if header.len() >= 12 && &header[..4] == b"RIFF" && &header[8..12] == b"WEBP" {
        "image/webp"
    } else {
        "image/jpeg"
    }
}

fn dimensions(payload: &str) -> Option<(i32, i32)> {
    let bytes = base64::engine::general_purpose::STANDARD.decode(payload).ok()?;
    let reader = image::ImageReader::new(Cursor::new(bytes)).with_guessed_format().ok()?;
    let (width, height) = reader.into_dimensions().ok()?;
    Some((i32::try_from(width).ok()?, i32::try_from(height).ok()?))
}
