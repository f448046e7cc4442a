//! If a panic still happens, the app says so: a banner with a Reload link above the page.
//!
//! It is plain DOM, built without the reactive runtime, which may be what broke; and the link
//! needs no code of the app to work (the router leaves links with a target alone), so it works
//! even when the app no longer answers. Nothing saved is lost by reloading: conversations and
//! images are IndexedDB writes that were committed when they were made.

/// The banner's element id (one banner, however many panics).
pub const BANNER_ID: &str = "panic-banner";

/// What the banner says.
pub const MESSAGE: &str = "xai-web hit an internal error and may not respond any more. \
What was saved on this device is kept: reload the page to go on.";

/// Where Reload leads: this page again. Without its fragment, since a link to the same
/// address with a fragment only scrolls.
pub fn reload_href(href: &str) -> &str {
    href.split_once('#').map_or(href, |(page, _)| page)
}

/// Logs panics to the console as before (console_error_panic_hook) and shows the banner.
#[cfg(target_arch = "wasm32")]
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let _ = show();
    }));
}

/// Puts the banner at the top of the page, once.
#[cfg(target_arch = "wasm32")]
fn show() -> Option<()> {
    let window = web_sys::window()?;
    let document = window.document()?;
    if document.get_element_by_id(BANNER_ID).is_some() {
        return Some(());
    }
    let banner = document.create_element("div").ok()?;
    banner.set_id(BANNER_ID);
    banner.set_class_name("panic-banner");
    banner.set_attribute("role", "alert").ok()?;
    let text = document.create_element("p").ok()?;
    text.set_text_content(Some(MESSAGE));
    let reload = document.create_element("a").ok()?;
    reload.set_class_name("button reload");
    reload.set_attribute("href", reload_href(&window.location().href().ok()?)).ok()?;
    reload.set_attribute("target", "_self").ok()?;
    reload.set_text_content(Some("Reload"));
    banner.append_child(&text).ok()?;
    banner.append_child(&reload).ok()?;
    document.body()?.prepend_with_node_1(&banner).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reload_leads_to_the_same_page_without_its_fragment() {
        assert_eq!(reload_href("https://example.com/tools/xai/chat?x=1#top"), "https://example.com/tools/xai/chat?x=1");
        assert_eq!(reload_href("http://127.0.0.1:8090/sample"), "http://127.0.0.1:8090/sample");
    }

    #[test]
    fn the_banner_says_what_happened_what_is_kept_and_what_to_do() {
        assert!(MESSAGE.contains("internal error"));
        assert!(MESSAGE.contains("saved on this device is kept"));
        assert!(MESSAGE.contains("reload"));
    }
}
