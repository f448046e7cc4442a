//! Moving the keyboard's focus to something that has just opened or back to what opened it.
use wasm_bindgen::JsCast;

/// Focuses the element `target` finds once this frame's DOM changes are in the page (an element
/// inserted, unhidden or enabled in this frame cannot take the focus yet). For a `NodeRef`:
/// `focus_element_next_frame(move || node.get_untracked().map(Into::into))`.
pub fn focus_element_next_frame(target: impl FnOnce() -> Option<web_sys::HtmlElement> + 'static) {
    leptos::prelude::request_animation_frame(move || {
        if let Some(element) = target() {
            let _ = element.focus();
        }
    });
}

/// Focuses the first element found by `selectors`, tried in order, in the next frame (see
/// [`focus_element_next_frame`]).
pub fn focus_next_frame<S: AsRef<str> + 'static>(selectors: Vec<S>) {
    focus_element_next_frame(move || {
        let document = web_sys::window()?.document()?;
        let found = selectors.iter().find_map(|selector| document.query_selector(selector.as_ref()).ok().flatten());
        found?.dyn_into::<web_sys::HtmlElement>().ok()
    });
}
