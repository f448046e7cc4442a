//! An image at full size over the page. Esc, the close button or a click beside the image close it.
use leptos::{html, prelude::*};

use super::state::ImagesState;
use crate::components::file_io;

/// The full-size view of `state.lightbox`.
#[component]
pub fn Lightbox() -> impl IntoView {
    let state = expect_context::<ImagesState>();
    let close_button = NodeRef::<html::Button>::new();
    let handle = window_event_listener(leptos::ev::keydown, move |e| {
        if e.key() == "Escape" && state.lightbox.with_untracked(Option::is_some) {
            e.prevent_default();
            state.lightbox.set(None);
        }
    });
    on_cleanup(move || handle.remove());
    // Focus moves into the dialog so keyboard users land on its controls.
    Effect::new(move |_| {
        if state.lightbox.with(Option::is_some) {
            if let Some(button) = close_button.get() {
                let _ = button.focus();
            }
        }
    });

    move || {
        state.lightbox.get().map(|viewed| {
            let (name, data_url, for_edit) = (viewed.file_name.clone(), viewed.data_url.clone(), viewed.data_url.clone());
            view! {
                <div class="lightbox" role="dialog" aria-modal="true" aria-label="Image, full size"
                    on:click=move |_| state.lightbox.set(None)>
                    <figure on:click=|e| e.stop_propagation()>
                        <img class="full-size" src=viewed.data_url.clone() alt=viewed.caption.clone()/>
                        <figcaption>
                            <span class="lightbox-caption">{viewed.caption.clone()}</span>
                            <span class="actions">
                                <button type="button" on:click=move |_| { let _ = file_io::download_data_url(&name, &data_url); }>"Download"</button>
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
