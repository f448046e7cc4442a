//! Image generation and editing: small PNGs drawn procedurally from a hash of the prompt, and
//! edits that visibly transform an uploaded image.
use base64::{engine::general_purpose::STANDARD as BASE64, Engine as _};
use image::{imageops, ImageFormat, Rgb, RgbImage};
use tonic::Status;

use super::{catalog, random_id, text::stable_hash};
use crate::{
    proto::{
        generated_image, GeneratedImage, ImageAspectRatio, ImageFormat as ResponseFormat, ImageGenerationModel, ImageResolution,
        ImageResponse, Usage,
    },
    store::Store,
};

/// Long side in pixels per resolution: small on purpose, so tests and pages stay fast.
const LONG_SIDE_1K: u32 = 256;
const LONG_SIDE_2K: u32 = 512;

/// Validated common parameters of CreateImage and EditImage.
pub struct ImageJob {
    pub model: ImageGenerationModel,
    pub count: u32,
}

pub fn validate(model: &str, prompt: &str, n: Option<i32>) -> Result<ImageJob, Status> {
    let model = catalog::find_image_model(model)?;
    if prompt.trim().is_empty() {
        return Err(Status::invalid_argument("prompt is empty: describe the image"));
    }
    let length = prompt.chars().count();
    if length > model.max_prompt_length as usize {
        return Err(Status::invalid_argument(format!(
            "prompt is {length} characters, model {} accepts at most {}",
            model.name, model.max_prompt_length
        )));
    }
    let n = n.unwrap_or(1);
    if !(1..=10).contains(&n) {
        return Err(Status::invalid_argument(format!("n {n} is out of range: ask for 1..10 images")));
    }
    Ok(ImageJob { model, count: n as u32 })
}

/// Width and height for a shape; `source` is the shape AUTO keeps (None: square).
pub fn dimensions(aspect: i32, resolution: i32, source: Option<(u32, u32)>) -> (u32, u32) {
    let long = match ImageResolution::try_from(resolution).unwrap_or_default() {
        ImageResolution::ImageResolution2k => LONG_SIDE_2K,
        _ => LONG_SIDE_1K,
    };
    let (w, h) = match ImageAspectRatio::try_from(aspect).unwrap_or_default() {
        ImageAspectRatio::ImageAspectRatio34 => (3, 4),
        ImageAspectRatio::ImageAspectRatio43 => (4, 3),
        ImageAspectRatio::ImageAspectRatio916 => (9, 16),
        ImageAspectRatio::ImageAspectRatio169 => (16, 9),
        ImageAspectRatio::ImageAspectRatio23 => (2, 3),
        ImageAspectRatio::ImageAspectRatio32 => (3, 2),
        ImageAspectRatio::Auto => source.unwrap_or((1, 1)),
        ImageAspectRatio::ImageAspectRatio11 | ImageAspectRatio::Unspecified => (1, 1),
    };
    let (w, h) = (w.max(1), h.max(1));
    if w >= h {
        (long, ((long * h + w / 2) / w).max(1))
    } else {
        (((long * w + h / 2) / h).max(1), long)
    }
}

fn colour(hash: u64, shift: u32) -> Rgb<u8> {
    let bits = (hash >> shift) as u32;
    Rgb([(bits & 0xff) as u8, ((bits >> 8) & 0xff) as u8, ((bits >> 16) & 0xff) as u8])
}

fn mix(a: Rgb<u8>, b: Rgb<u8>, t: f32) -> Rgb<u8> {
    Rgb(std::array::from_fn(|i| (a[i] as f32 * (1.0 - t) + b[i] as f32 * t).round() as u8))
}

/// A gradient with a few circles and a band, all chosen by the prompt's hash.
pub fn draw(prompt: &str, index: u32, width: u32, height: u32) -> RgbImage {
    let hash = stable_hash(&[prompt, &index.to_string()]);
    let (top, bottom) = (colour(hash, 0), colour(hash, 24));
    let shapes = stable_hash(&[prompt, "shapes", &index.to_string()]);
    let mut image = RgbImage::from_fn(width, height, |x, y| {
        let t = (x + y) as f32 / (width + height).max(1) as f32;
        mix(top, bottom, t)
    });
    for circle in 0..3u64 {
        let bits = shapes >> (circle * 16);
        let cx = (bits & 0xff) as u32 * width / 256;
        let cy = ((bits >> 8) & 0xff) as u32 * height / 256;
        let radius = (width.min(height) / 8) * (1 + (circle as u32 % 3));
        let fill = colour(shapes.rotate_left(circle as u32 * 13), 4);
        for (x, y, pixel) in image.enumerate_pixels_mut() {
            let (dx, dy) = (x as i64 - cx as i64, y as i64 - cy as i64);
            if dx * dx + dy * dy <= (radius * radius) as i64 {
                *pixel = mix(*pixel, fill, 0.7);
            }
        }
    }
    let band_y = (shapes >> 48) as u32 % height.max(1);
    let band = colour(hash, 40);
    for y in band_y..(band_y + height / 12).min(height) {
        for x in 0..width {
            let pixel = image.get_pixel_mut(x, y);
            *pixel = mix(*pixel, band, 0.5);
        }
    }
    image
}

/// Inverts, rotates the colour channels or tints, depending on the prompt.
pub fn transform(source: &RgbImage, prompt: &str, index: u32, width: u32, height: u32) -> RgbImage {
    let mut image = imageops::resize(source, width, height, imageops::FilterType::Triangle);
    let hash = stable_hash(&[prompt, &index.to_string()]);
    let tint = colour(hash, 8);
    for pixel in image.pixels_mut() {
        let [r, g, b] = pixel.0;
        *pixel = match hash % 3 {
            0 => Rgb([255 - r, 255 - g, 255 - b]),
            1 => Rgb([b, r, g]),
            _ => mix(*pixel, tint, 0.45),
        };
    }
    image
}

/// Mixes reference images into an edit (a third each), so references visibly matter.
pub fn blend(mut image: RgbImage, references: &[RgbImage]) -> RgbImage {
    for reference in references {
        let resized = imageops::resize(reference, image.width(), image.height(), imageops::FilterType::Triangle);
        for (pixel, other) in image.pixels_mut().zip(resized.pixels()) {
            *pixel = mix(*pixel, *other, 0.33);
        }
    }
    image
}

pub fn encode_png(image: &RgbImage) -> Result<Vec<u8>, Status> {
    let mut png = std::io::Cursor::new(Vec::new());
    image.write_to(&mut png, ImageFormat::Png).map_err(|error| crate::error_id::internal("encoding a PNG", &error))?;
    Ok(png.into_inner())
}

/// Reference images an edit may carry (the app offers as many).
pub const MAX_REFERENCES: usize = 4;
/// Largest image an edit decodes, in pixels (a 48-megapixel photo fits). Checked from the
/// file's header before decoding: a small file can declare a huge image.
pub const MAX_EDIT_PIXELS: u64 = 50_000_000;
/// Edits decoding at once: each holds up to two full-size images (about 350 MB at the pixel
/// limit), so they are few, and run on blocking threads, off the async workers.
const CONCURRENT_DECODES: usize = 2;

static DECODES: std::sync::LazyLock<std::sync::Arc<tokio::sync::Semaphore>> =
    std::sync::LazyLock::new(|| std::sync::Arc::new(tokio::sync::Semaphore::new(CONCURRENT_DECODES)));

/// The bytes of an image to edit: a base64 data URL, or an image this gateway generated
/// (`/images/<id>.png`, with or without scheme and host).
pub async fn load_bytes(url: &str, store: &Store) -> Result<Vec<u8>, Status> {
    if let Some(rest) = url.strip_prefix("data:") {
        let (_, data) = rest
            .split_once(";base64,")
            .ok_or_else(|| Status::invalid_argument("image data URL must be base64: data:image/png;base64,..."))?;
        BASE64.decode(data.trim()).map_err(|error| Status::invalid_argument(format!("image data URL is not valid base64: {error}")))
    } else if let Some(id) = url.rsplit_once("/images/").and_then(|(_, file)| file.strip_suffix(".png")) {
        store
            .load_image(id.to_string())
            .await?
            .ok_or_else(|| Status::invalid_argument(format!("image {url} was not found on this gateway")))
    } else if url.is_empty() {
        Err(Status::invalid_argument("image is missing: send the image to edit as a data URL"))
    } else {
        Err(Status::invalid_argument(
            "the local backend cannot fetch remote images: send the image as a data URL (data:image/png;base64,...)",
        ))
    }
}

fn reader(bytes: &[u8]) -> Result<image::ImageReader<std::io::Cursor<&[u8]>>, Status> {
    image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|error| Status::invalid_argument(format!("image could not be read: {error}")))
}

/// Width and height from the image's header, refused over [`MAX_EDIT_PIXELS`]; nothing is
/// decoded.
pub fn checked_dimensions(bytes: &[u8]) -> Result<(u32, u32), Status> {
    let (width, height) = reader(bytes)?
        .into_dimensions()
        .map_err(|error| Status::invalid_argument(format!("image could not be decoded as PNG or JPEG: {error}")))?;
    let pixels = u64::from(width) * u64::from(height);
    if pixels > MAX_EDIT_PIXELS {
        return Err(Status::invalid_argument(format!(
            "image is {width}x{height} ({:.1} megapixels): at most {} megapixels can be edited",
            pixels as f64 / 1e6,
            MAX_EDIT_PIXELS / 1_000_000
        )));
    }
    Ok((width, height))
}

/// Decodes an image [`checked_dimensions`] accepted, with the decoder held to the same limits
/// (a header that lies is caught too). Blocking: call it through [`off_the_workers`].
pub fn decode(bytes: &[u8]) -> Result<RgbImage, Status> {
    let mut reader = reader(bytes)?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_EDIT_PIXELS * 4 + (16 << 20));
    reader.limits(limits);
    let decoded =
        reader.decode().map_err(|error| Status::invalid_argument(format!("image could not be decoded as PNG or JPEG: {error}")))?;
    Ok(decoded.into_rgb8())
}

/// The edit itself: `source` transformed `count` times to `width` x `height`, with the
/// references blended in (each shrunk to the output size as soon as it is decoded, so at most
/// two full-size images are held). Blocking.
pub fn edit(source: &[u8], references: &[Vec<u8>], prompt: &str, count: u32, (width, height): (u32, u32)) -> Result<Vec<RgbImage>, Status> {
    let source = decode(source)?;
    let references = references
        .iter()
        .enumerate()
        .map(|(index, bytes)| {
            let reference =
                decode(bytes).map_err(|status| Status::invalid_argument(format!("reference image {}: {}", index + 1, status.message())))?;
            Ok(imageops::resize(&reference, width, height, imageops::FilterType::Triangle))
        })
        .collect::<Result<Vec<_>, Status>>()?;
    Ok((0..count).map(|index| blend(transform(&source, prompt, index, width, height), &references)).collect())
}

/// Runs CPU-heavy image work on a blocking thread, at most [`CONCURRENT_DECODES`] at once
/// (later calls wait their turn); a panic in it becomes INTERNAL for this call only.
pub async fn off_the_workers<T: Send + 'static>(work: impl FnOnce() -> Result<T, Status> + Send + 'static) -> Result<T, Status> {
    let permit = DECODES.clone().acquire_owned().await.map_err(|_| Status::unavailable("the gateway is shutting down"))?;
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work()
    });
    task.await.map_err(|error| crate::error_id::internal("image edit", &error))?
}

/// Packs rendered images as the caller asked: inline base64, or stored and linked.
pub async fn respond(
    job: ImageJob,
    images: Vec<RgbImage>,
    format: i32,
    revised_prompt: &str,
    store: &Store,
) -> Result<ImageResponse, Status> {
    let as_url = ResponseFormat::try_from(format).unwrap_or_default() != ResponseFormat::Base64;
    let mut generated = Vec::with_capacity(images.len());
    for image in images {
        let png = encode_png(&image)?;
        let content = if as_url {
            let id = random_id("img");
            store.insert_image(id.clone(), png).await?;
            generated_image::Image::Url(format!("/images/{id}.png"))
        } else {
            generated_image::Image::Base64(BASE64.encode(&png))
        };
        generated.push(GeneratedImage {
            image: Some(content),
            mime_type: "image/png".into(),
            width: image.width() as i32,
            height: image.height() as i32,
            revised_prompt: revised_prompt.to_string(),
        });
    }
    let usage = Usage { cost_usd_ticks: job.model.image_price * i64::from(job.count), ..Default::default() };
    Ok(ImageResponse { images: generated, model: job.model.name, usage: Some(usage) })
}
