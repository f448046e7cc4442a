//! How untrusted text and sizes are shown to the user.

/// Longest detail shown; an endpoint's message is untrusted and may be a whole web page.
const MAX_DETAIL_CHARS: usize = 300;

/// A message fit to show: markup tags removed (an HTML error page as a gRPC message), control
/// characters and runs of whitespace collapsed, cut at [`MAX_DETAIL_CHARS`]. (Rendering is
/// as text anyway; this keeps a page's markup from burying the point.)
pub fn clean_detail(message: &str) -> String {
    let mut text = String::with_capacity(message.len().min(4 * MAX_DETAIL_CHARS));
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        let starts_tag = c == '<' && chars.peek().is_some_and(|next| next.is_ascii_alphabetic() || matches!(next, '/' | '!' | '?'));
        if starts_tag {
            // Skip to the tag's end; a tag is a word boundary.
            for skipped in chars.by_ref() {
                if skipped == '>' {
                    break;
                }
            }
            text.push(' ');
        } else {
            text.push(if c.is_control() { ' ' } else { c });
        }
    }
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= MAX_DETAIL_CHARS {
        return collapsed;
    }
    let cut: String = collapsed.chars().take(MAX_DETAIL_CHARS).collect();
    format!("{}…", cut.trim_end())
}

/// What a failed fetch reported, without the wrappers around it, in a sentence: "JS API error:
/// TypeError: Failed to fetch" becomes "The browser got no answer from the endpoint (it reported
/// “Failed to fetch”)."
pub fn unreachable_detail(raw: &str) -> String {
    const WRAPPERS: &[&str] = &["js api error:", "js error:", "typeerror:", "error:"];
    let mut said = raw.trim();
    while let Some(wrapper) = WRAPPERS.iter().find(|w| said.len() >= w.len() && said[..w.len()].eq_ignore_ascii_case(w)) {
        said = said[wrapper.len()..].trim_start();
    }
    if said.is_empty() {
        "The browser got no answer from the endpoint.".to_owned()
    } else {
        format!("The browser got no answer from the endpoint (it reported “{said}”).")
    }
}

/// A size as the app writes it: "16 MB", "17.2 MB", "640 KB" (binary units, as file sizes are
/// shown everywhere in the app).
pub fn megabytes(bytes: u64) -> String {
    const MB: u64 = 1 << 20;
    if bytes % MB == 0 {
        format!("{} MB", bytes / MB)
    } else if bytes < MB / 10 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AppError;

    #[test]
    fn an_endpoint_message_with_markup_and_the_key_is_shown_cleaned() {
        let key = "xai-abcdefghijklmnopqrstuvwxyz0123456789";
        let page =
            format!("<html><head><title>502</title></head><body><h1>Bad\ngateway</h1><p>key={key}</p>{}</body></html>", "x".repeat(1000));
        let error = AppError::from_call(&tonic::Status::unauthenticated(page), None, &[key]);
        assert!(!error.detail.contains(key));
        assert!(!error.detail.contains('<'), "{}", error.detail);
        assert!(error.detail.starts_with("502 Bad gateway key=[redacted key]"), "{}", error.detail);
        assert!(error.detail.chars().count() <= MAX_DETAIL_CHARS + 1);
        assert_eq!(clean_detail("a < b and c > d"), "a < b and c > d", "comparisons are not tags");
    }

    #[test]
    fn a_failed_fetch_is_told_without_its_wrappers() {
        assert_eq!(
            unreachable_detail("JS API error: TypeError: Failed to fetch"),
            "The browser got no answer from the endpoint (it reported “Failed to fetch”)."
        );
        assert_eq!(unreachable_detail("  "), "The browser got no answer from the endpoint.");
        let error = AppError::from_call(&tonic::Status::unknown("JS API error: TypeError: Failed to fetch"), None, &[]);
        assert!(!error.detail.contains("JS API") && !error.detail.contains("TypeError"), "{}", error.detail);
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(megabytes(16 << 20), "16 MB");
        assert_eq!(megabytes(18_035_000), "17.2 MB");
        assert_eq!(megabytes(50_000), "49 KB");
    }
}
