//! What an image file really is, from its first bytes rather than its name or declared type: a
//! text file renamed `cat.png` claims `image/png` but holds no image. Chat (attachments) and
//! Images (edit sources) both check with this before sending anything.

/// How many leading base64 characters are decoded: 16 characters are 12 bytes, enough for every
/// signature below.
const SNIFF_CHARS: usize = 16;

/// The image type bytes are, from their signature: PNG, JPEG, WebP or GIF.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else {
        None
    }
}

/// The image type a base64 data URL's bytes really are (None: not an image we know, or not a
/// base64 data URL).
pub fn sniff_data_url(data_url: &str) -> Option<&'static str> {
    let (_, data) = data_url.strip_prefix("data:")?.split_once(";base64,")?;
    sniff(&decode_prefix(data.get(..SNIFF_CHARS.min(data.len()))?))
}

/// Decodes whole groups of four base64 characters from the start of `text` (stopping at the
/// first character that is not base64).
fn decode_prefix(text: &str) -> Vec<u8> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        } as u32)
    };
    let mut bytes = Vec::with_capacity(text.len() / 4 * 3);
    for group in text.as_bytes().chunks_exact(4) {
        let Some(values) = group.iter().map(|&c| value(c)).collect::<Option<Vec<u32>>>() else { break };
        let joined = values.iter().fold(0, |acc, v| (acc << 6) | v);
        bytes.extend_from_slice(&joined.to_be_bytes()[1..]);
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_four_image_types_are_known_by_their_bytes() {
        assert_eq!(sniff_data_url("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB"), Some("image/png"));
        assert_eq!(sniff_data_url("data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ"), Some("image/jpeg"));
        // "RIFF", a size, "WEBP"; "GIF89a".
        assert_eq!(sniff_data_url("data:image/webp;base64,UklGRiQAAABXRUJQVlA4IBgAAAAw"), Some("image/webp"));
        assert_eq!(sniff_data_url("data:image/gif;base64,R0lGODlhAQABAIAAAP"), Some("image/gif"));
        // A WebP file sent as image/png is still a WebP image: the bytes decide.
        assert_eq!(sniff_data_url("data:image/png;base64,UklGRiQAAABXRUJQVlA4IBgAAAAw"), Some("image/webp"));
    }

    #[test]
    fn text_named_like_an_image_is_not_one() {
        // "hello world, I am not a picture" as image/png.
        assert_eq!(sniff_data_url("data:image/png;base64,aGVsbG8gd29ybGQsIEkgYW0gbm90IGEgcGljdHVyZQ=="), None);
        assert_eq!(sniff_data_url("data:image/png;base64,aGk="), None, "too short to be anything");
        assert_eq!(sniff_data_url("data:image/png;base64,"), None);
        assert_eq!(sniff_data_url("https://example.com/a.png"), None);
        // RIFF without WEBP (a WAV file) is not an image.
        assert_eq!(sniff_data_url("data:image/webp;base64,UklGRiQAAABXQVZFZm10IBAAAAAB"), None);
    }
}
