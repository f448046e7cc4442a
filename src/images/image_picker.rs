//! Pick, paste or drop an image: its type and size are checked before it is read and its content
//! after, so a wrong file gets a clear message and is never sent.
use leptos::{prelude::*, task::spawn_local};

use super::files;
use crate::components::{
    file_io::{files as file_list, read_data_url},
    FileButton,
};

/// A drop zone with a file button; paste works while it has focus. Each accepted image goes to
/// `on_image` as a data URL; `error` holds the latest refusal.
#[component]
pub fn ImagePicker(
    /// Id of the file input (for labels and tests).
    input_id: &'static str,
    /// What the zone asks for.
    label: &'static str,
    /// Whether several files may be chosen at once.
    #[prop(optional)]
    multiple: bool,
    on_image: Callback<String>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let take = move |list: Vec<web_sys::File>| {
        for file in list {
            let name = file.name();
            if let Err(refusal) = files::check_source(&name, &file.type_(), file.size() as u64) {
                error.set(Some(refusal.to_string()));
                continue;
            }
            spawn_local(async move {
                match read_data_url(&file).await {
                    Ok(data_url) => match files::check_content(&name, &data_url) {
                        Ok(()) => {
                            error.set(None);
                            // Not if the page was left while the file was read.
                            on_image.try_run(data_url);
                        }
                        Err(refusal) => error.set(Some(refusal.to_string())),
                    },
                    Err(reason) => error.set(Some(format!("{name} could not be read: {reason}"))),
                }
            });
        }
    };

    view! {
        <div class="drop-zone" tabindex="0" role="group" aria-label=label
            on:dragover=move |e| e.prevent_default()
            on:drop=move |e: leptos::ev::DragEvent| {
                e.prevent_default();
                take(file_list(e.data_transfer().and_then(|d| d.files())));
            }
            on:paste=move |e: leptos::ev::ClipboardEvent| {
                let pasted = file_list(e.clipboard_data().and_then(|d| d.files()));
                if !pasted.is_empty() {
                    e.prevent_default();
                    take(pasted);
                }
            }>
            <span>{label}" — drop or paste here, or "</span>
            <FileButton input_id=input_id label="choose a file" accept=files::EDIT_TYPES.join(",") multiple=multiple
                on_change=move |e| {
                    let input: web_sys::HtmlInputElement = event_target(&e);
                    take(file_list(input.files()));
                    input.set_value("");
                }/>
            <small class="muted">"PNG or JPEG, at most 10 MB"</small>
        </div>
    }
}
