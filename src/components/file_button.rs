//! A button that opens the file chooser. A `<label>` around a hidden file input cannot be
//! reached with Tab (the input is `display: none` and a label is not focusable); a real button
//! that clicks the hidden input is reached, and Enter and Space work on it as on any button.
use leptos::{html, prelude::*};

/// A button labelled `label` that opens the chooser of a hidden file input with id `input_id`
/// (tests set files on the input by that id); `on_change` gets the input's change event.
#[component]
pub fn FileButton(
    /// Id of the hidden file input.
    input_id: &'static str,
    /// The button's text.
    label: &'static str,
    /// The file types offered (the input's `accept`).
    #[prop(into)]
    accept: String,
    /// Whether several files may be chosen at once.
    #[prop(optional)]
    multiple: bool,
    /// The button's class.
    #[prop(default = "link")]
    class: &'static str,
    on_change: impl FnMut(leptos::ev::Event) + 'static,
) -> impl IntoView {
    let input = NodeRef::<html::Input>::new();
    view! {
        <button type="button" class=class on:click=move |_| {
            if let Some(input) = input.get() {
                input.click();
            }
        }>{label}</button>
        <input type="file" class="file-input" hidden node_ref=input id=input_id accept=accept multiple=multiple on:change=on_change/>
    }
}
