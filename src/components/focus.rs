//! Moving the keyboard's focus to something that has just opened or back to what opened it.
use wasm_bindgen::JsCast;

/// Focuses the first element found by `selectors`, tried in order, once this frame's DOM
/// changes are in the page (an element inserted or unhidden in this frame cannot take focus yet).
pub fn focus_next_frame<S: AsRef<str> + 'static>(selectors: Vec<S>) {
    leptos::prelude::request_animation_frame(move || {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let found = selectors.iter().find_map(|selector| document.query_selector(selector.as_ref()).ok().flatten());
        if let Some(element) = found.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = element.focus();
        }
    });
}
