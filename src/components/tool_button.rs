//! A small toolbar button: an icon and a word (the word stays visible, so the button says what
//! it does without hovering).
use leptos::prelude::*;

use super::icon::{Icon, IconSvg};

/// A toolbar button. `class` names it for styles and tests (e.g. "edit"); `disabled` is
/// optional.
#[component]
pub fn ToolButton(
    icon: Icon,
    label: &'static str,
    class: &'static str,
    #[prop(into)] on_click: Callback<()>,
    #[prop(optional, into)] disabled: MaybeProp<bool>,
    #[prop(optional)] button_ref: NodeRef<leptos::html::Button>,
) -> impl IntoView {
    view! {
        <button type="button" class=format!("tool {class}") node_ref=button_ref disabled=move || disabled.get().unwrap_or(false)
            on:click=move |_| on_click.run(())>
            <IconSvg icon/>
            <span class="tool-label">{label}</span>
        </button>
    }
}
