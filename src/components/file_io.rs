//! Files in and out of the browser: reading picked files, offering text as a download.
use gloo_file::{futures::read_as_data_url, Blob, ObjectUrl};
use leptos::wasm_bindgen::JsCast;

/// A picked, pasted or dropped file's data URL.
pub async fn read_data_url(file: &web_sys::File) -> Result<String, String> {
    let blob = Blob::from(web_sys::Blob::from(file.clone()));
    read_as_data_url(&blob).await.map_err(|error| error.to_string())
}

/// A picked file's text.
pub async fn read_text(file: &web_sys::File) -> Result<String, String> {
    let blob = Blob::from(web_sys::Blob::from(file.clone()));
    gloo_file::futures::read_as_text(&blob).await.map_err(|error| error.to_string())
}

/// Offers text as a file download.
pub fn download(file_name: &str, mime: &str, text: &str) {
    let blob = Blob::new_with_options(text, Some(mime));
    let url = ObjectUrl::from(blob);
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Ok(anchor) = document.create_element("a") else { return };
    let Ok(anchor) = anchor.dyn_into::<web_sys::HtmlAnchorElement>() else { return };
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    // Revoked when `url` drops; the click has already started the download.
}

/// Offers a base64 data URL's bytes as a file download (as a Blob: large data URLs are not
/// reliable as link targets).
pub fn download_data_url(file_name: &str, data_url: &str) -> Result<(), String> {
    let (mime, data) = data_url.strip_prefix("data:").and_then(|rest| rest.split_once(";base64,")).ok_or("not a base64 data URL")?;
    let window = web_sys::window().ok_or("no window")?;
    let binary = window.atob(data).map_err(|_| "the image data is not valid base64".to_owned())?;
    // atob gives one char per byte (Latin-1).
    let bytes: Vec<u8> = binary.chars().map(|c| c as u32 as u8).collect();
    let blob = Blob::new_with_options(bytes.as_slice(), Some(mime));
    let url = ObjectUrl::from(blob);
    let document = window.document().ok_or("no document")?;
    let anchor = document.create_element("a").map_err(|_| "no link")?;
    let anchor = anchor.dyn_into::<web_sys::HtmlAnchorElement>().map_err(|_| "no link")?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    Ok(())
}

/// The files of a file list (input, paste, drop).
pub fn files(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|index| list.get(index)).collect()
}

/// Copies text to the clipboard, not waiting for the outcome.
pub fn copy_text(text: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().clipboard().write_text(text);
    }
}

/// Copies text to the clipboard; true once it is there (false when the browser refused, e.g.
/// the page is not focused or not a secure context).
pub async fn write_clipboard(text: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    wasm_bindgen_futures::JsFuture::from(window.navigator().clipboard().write_text(text)).await.is_ok()
}

/// A file name from a title: letters, digits and dashes only.
pub fn file_name_from(title: &str, extension: &str) -> String {
    format!("{}.{extension}", slug(title, 60, "conversation"))
}

/// Free text as a file-name stem: its words lower-cased and joined by dashes (so no path
/// separators or dots survive), cut at a word to at most `max_chars` (one longer word is cut
/// inside), or `fallback` when no letter or digit is left.
pub fn slug(text: &str, max_chars: usize, fallback: &str) -> String {
    let mut slug = String::new();
    let mut length = 0;
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()) {
        let word = word.to_lowercase();
        let needed = word.chars().count() + usize::from(length > 0);
        if length + needed > max_chars {
            if length == 0 {
                slug = word.chars().take(max_chars).collect();
            }
            break;
        }
        if length > 0 {
            slug.push('-');
        }
        slug.push_str(&word);
        length += needed;
    }
    if slug.is_empty() {
        fallback.to_owned()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::file_name_from;

    #[test]
    fn file_names_are_safe_and_readable() {
        assert_eq!(file_name_from("How do I sort? (Rust)", "md"), "how-do-i-sort-rust.md");
        assert_eq!(file_name_from("../../etc/passwd", "json"), "etc-passwd.json");
        assert_eq!(file_name_from("???", "json"), "conversation.json");
    }

    #[test]
    fn slugs_are_cut_at_a_word() {
        let long = "a very long title about many many things that goes on and on and on and on forever";
        assert_eq!(super::slug(long, 40, "x"), "a-very-long-title-about-many-many-things");
        assert_eq!(super::slug(&"y".repeat(100), 40, "x"), "y".repeat(40));
        assert_eq!(super::slug("Ünïcode Größe", 40, "x"), "ünïcode-größe");
        assert_eq!(super::slug(" -- ", 40, "fallback"), "fallback");
    }
}
