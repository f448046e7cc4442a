//! An image at full size over the page. Esc, the close button or a click beside the image close it.
//! It keeps the keyboard's focus while open: focus moves to Close, Tab and Shift+Tab cycle through
//! its buttons, and on close focus returns to what opened it (the thumbnail).
use leptos::{html, prelude::*};
use wasm_bindgen::JsCast;

use super::state::ImagesState;
use crate::components::file_io;

/// The full-size view of `state.lightbox`.
#[component]
pub fn Lightbox() -> impl IntoView {
    let state = expect_context::<ImagesState>();
    let dialog = NodeRef::<html::Div>::new();
    let first_button = NodeRef::<html::Button>::new();
    let close_button = NodeRef::<html::Button>::new();
    let handle = window_event_listener(leptos::ev::keydown, move |e| {
        if state.lightbox.with_untracked(Option::is_none) {
            return;
        }
        if e.key() == "Escape" {
            e.prevent_default();
            state.lightbox.set(None);
        } else if e.key() == "Tab" {
            let (Some(dialog), Some(first), Some(last)) =
                (dialog.get_untracked(), first_button.get_untracked(), close_button.get_untracked())
            else {
                return;
            };
            let active = document().active_element();
            let inside = active.as_ref().is_some_and(|a| dialog.contains(Some(a)));
            let at = |button: &web_sys::HtmlButtonElement| active.as_ref().is_some_and(|a| a == button.unchecked_ref::<web_sys::Element>());
            let wrap_to = match (e.shift_key(), inside) {
                (false, false) => Some(first),
                (true, false) => Some(last),
                (false, true) => at(&last).then_some(first),
                (true, true) => at(&first).then_some(last),
            };
            if let Some(target) = wrap_to {
                e.prevent_default();
                let _ = target.focus();
            }
        }
    });
    on_cleanup(move || handle.remove());
    // What had the focus when the view opened (the thumbnail): it gets it back on close.
    let opener = StoredValue::new_local(None::<web_sys::HtmlElement>);
    Effect::new(move |_| {
        let open = state.lightbox.with(Option::is_some);
        let button = close_button.get();
        if open {
            if opener.with_value(Option::is_none) {
                let active = document().active_element().and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok());
                opener.set_value(active.filter(|a| button.as_ref().is_none_or(|b| a != b.unchecked_ref::<web_sys::HtmlElement>())));
            }
            if let Some(button) = button {
                let _ = button.focus();
            }
        } else if let Some(element) = opener.try_update_value(Option::take).flatten() {
            let _ = element.focus();
        }
    });

    move || {
        state.lightbox.get().map(|viewed| {
            let (name, data_url, for_edit) = (viewed.file_name.clone(), viewed.data_url.clone(), viewed.data_url.clone());
            view! {
                <div class="lightbox" role="dialog" aria-modal="true" aria-label="Image, full size" node_ref=dialog
                    on:click=move |_| state.lightbox.set(None)>
                    <figure on:click=|e| e.stop_propagation()>
                        <img class="full-size" src=viewed.data_url.clone() alt=viewed.caption.clone()/>
                        <figcaption>
                            <span class="lightbox-caption">{viewed.caption.clone()}</span>
                            <span class="actions">
                                <button type="button" node_ref=first_button on:click=move |_| { let _ = file_io::download_data_url(&name, &data_url); }>"Download"</button>
                                <button type="button" on:click=move |_| state.edit_from(for_edit.clone())>"Edit this"</button>
                                <button type="button" class="close-lightbox" node_ref=close_button on:click=move |_| state.lightbox.set(None)>"Close"</button>
                            </span>
                        </figcaption>
                    </figure>
                </div>
            }
        })
    }
}
