//! Which images may be attached to a message, checked before anything is sent.
use super::conversation::{Attachment, ChatMessage, Conversation};
use crate::proto::ChatCompletionRequest;

/// Image types vision models take.
pub const ACCEPTED_TYPES: &[&str] = &["image/png", "image/jpeg", "image/webp", "image/gif"];
/// Largest image, in bytes (the real API's limit per image is 10 MiB).
pub const MAX_BYTES: u64 = 10 * 1024 * 1024;
/// Most images per message.
pub const MAX_IMAGES: usize = 8;

/// Why an attachment was refused.
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum AttachmentError {
    #[error("the model {0} does not take images: pick a vision model to attach images")]
    ModelTakesNoImages(String),
    #[error("{name} is not a PNG, JPEG, WebP or GIF image ({mime})")]
    NotAnImage { name: String, mime: String },
    #[error("{name} is {size_mb:.1} MB; images may be at most 10 MB")]
    TooLarge { name: String, size_mb: f64 },
    #[error("at most {MAX_IMAGES} images per message")]
    TooMany,
    #[error("{name} is not an image: its content is not PNG, JPEG, WebP or GIF data, so it was not attached")]
    BadContent { name: String },
}

/// Checks one file before it is read.
pub fn check(name: &str, mime: &str, size: u64, already: usize, model: &str, model_takes_images: bool) -> Result<(), AttachmentError> {
    if !model_takes_images {
        return Err(AttachmentError::ModelTakesNoImages(model.to_owned()));
    }
    if already >= MAX_IMAGES {
        return Err(AttachmentError::TooMany);
    }
    if !ACCEPTED_TYPES.contains(&mime) {
        return Err(AttachmentError::NotAnImage {
            name: name.to_owned(),
            mime: if mime.is_empty() { "unknown type".into() } else { mime.to_owned() },
        });
    }
    if size > MAX_BYTES {
        return Err(AttachmentError::TooLarge { name: name.to_owned(), size_mb: size as f64 / 1_048_576.0 });
    }
    Ok(())
}

/// Checks a read file's bytes (a text file renamed `.png` declares an image type but holds no
/// image) and returns it as an attachment, declared with the type its bytes really are.
pub fn attachment_from(name: &str, data_url: &str) -> Result<Attachment, AttachmentError> {
    let mime = crate::image_type::sniff_data_url(data_url).ok_or_else(|| AttachmentError::BadContent { name: name.to_owned() })?;
    let data = data_url.split_once(";base64,").map_or("", |(_, data)| data);
    Ok(Attachment { mime: mime.to_owned(), data_url: format!("data:{mime};base64,{data}"), name: name.to_owned() })
}

/// Checks the attached images once more when sending: the model may have changed since they
/// were attached.
pub fn check_send(attached: usize, model: &str, model_takes_images: bool) -> Result<(), AttachmentError> {
    if attached > 0 && !model_takes_images {
        return Err(AttachmentError::ModelTakesNoImages(model.to_owned()));
    }
    Ok(())
}

/// The request sending `text` and `attachments` in `conversation` (None: a new one) would make:
/// every earlier turn goes with it, images included, so its size is what the gateway's request
/// limit is checked against.
pub fn turn_request(conversation: Option<&Conversation>, text: &str, attachments: &[Attachment], model: &str) -> ChatCompletionRequest {
    let mut turn = conversation.cloned().unwrap_or_else(|| Conversation::new(String::new(), 0.0, model.to_owned()));
    turn.model = model.to_owned();
    turn.messages.push(ChatMessage::user(String::new(), text.to_owned(), attachments.to_vec()));
    turn.messages.push(ChatMessage::pending_answer(String::new(), model.to_owned()));
    super::session::build_request(&turn, turn.messages.len() - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::limits::{check_request_bytes, request_bytes, RequestKind};

    fn image(kib: usize) -> Attachment {
        Attachment { mime: "image/png".into(), data_url: format!("data:image/png;base64,{}", "A".repeat(kib * 1024)), name: "a.png".into() }
    }

    #[test]
    fn a_turn_counts_the_earlier_images_of_its_conversation() {
        let mut conversation = Conversation::new("c".into(), 0.0, "grok-4".into());
        conversation.messages.push(ChatMessage::user("u1".into(), "first".into(), vec![image(600)]));
        let alone = request_bytes(&turn_request(None, "second", &[image(600)], "grok-4"));
        let with_history = request_bytes(&turn_request(Some(&conversation), "second", &[image(600)], "grok-4"));
        assert!(alone > 600 * 1024 && alone < 610 * 1024, "{alone}");
        assert!(with_history > 1200 * 1024, "{with_history}");
        // Under a 1 MiB gateway each image alone passes; together they are refused before sending.
        assert!(check_request_bytes(alone, 1 << 20, RequestKind::ChatTurn).is_ok());
        let refusal = check_request_bytes(with_history, 1 << 20, RequestKind::ChatTurn).unwrap_err();
        assert!(
            refusal.detail.starts_with("This message with its earlier images is 1.2 MB; the gateway accepts at most 1 MB."),
            "{}",
            refusal.detail
        );
    }

    #[test]
    fn images_within_limits_pass() {
        assert_eq!(check("a.png", "image/png", 1000, 0, "grok-4", true), Ok(()));
    }

    #[test]
    fn every_refusal_names_its_reason() {
        assert!(
            matches!(check("a.png", "image/png", 1, 0, "grok-3-mini", false), Err(AttachmentError::ModelTakesNoImages(m)) if m == "grok-3-mini")
        );
        let not_image = check("notes.pdf", "application/pdf", 1, 0, "m", true).unwrap_err();
        assert!(not_image.to_string().contains("notes.pdf"));
        let big = check("big.jpg", "image/jpeg", 11 * 1024 * 1024, 0, "m", true).unwrap_err();
        assert_eq!(big.to_string(), "big.jpg is 11.0 MB; images may be at most 10 MB");
        assert_eq!(check("a.png", "image/png", 1, MAX_IMAGES, "m", true), Err(AttachmentError::TooMany));
    }

    #[test]
    fn a_text_file_named_png_is_refused_by_its_content() {
        let refused = attachment_from("notes.png", "data:image/png;base64,aGVsbG8gd29ybGQsIEkgYW0gbm90IGEgcGljdHVyZQ==").unwrap_err();
        assert_eq!(refused, AttachmentError::BadContent { name: "notes.png".into() });
        assert!(refused.to_string().starts_with("notes.png is not an image"), "{refused}");
        // A real image is declared as what its bytes are, whatever its name said.
        let webp = attachment_from("photo.png", "data:image/png;base64,UklGRiQAAABXRUJQVlA4IBgAAAAw").unwrap();
        assert_eq!(webp.mime, "image/webp");
        assert!(webp.data_url.starts_with("data:image/webp;base64,UklGR"));
    }

    #[test]
    fn sending_images_to_a_model_without_image_input_is_refused() {
        assert_eq!(check_send(1, "grok-3", false), Err(AttachmentError::ModelTakesNoImages("grok-3".into())));
        assert_eq!(check_send(0, "grok-3", false), Ok(()));
        assert_eq!(check_send(2, "grok-4", true), Ok(()));
    }
}
