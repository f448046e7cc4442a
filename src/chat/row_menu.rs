//! A conversation row's actions (Rename, Delete) behind one "⋯" button, so the title has the
//! row's width. The WAI-ARIA menu button pattern: Enter, Space or a click opens the menu with
//! the focus on its first item; the arrow keys, Home and End move between the items; Esc closes
//! it and gives the focus back to the button; the menu closes when the focus leaves it.
use leptos::{html, prelude::*};
use wasm_bindgen::JsCast;

/// The menu's items, in order: focusable by script (tabindex -1), not by Tab.
fn items(menu: &web_sys::HtmlElement) -> Vec<web_sys::HtmlElement> {
    std::iter::successors(menu.first_element_child(), |item| item.next_element_sibling())
        .filter(|item| item.get_attribute("role").as_deref() == Some("menuitem"))
        .filter_map(|item| item.dyn_into::<web_sys::HtmlElement>().ok())
        .collect()
}

/// Moves the focus as `key` asks: to the next or previous item (wrapping), the first or the last.
fn move_focus(menu: &web_sys::HtmlElement, key: &str) {
    let all = items(menu);
    if all.is_empty() {
        return;
    }
    let active = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element());
    let at = all.iter().position(|item| active.as_ref().is_some_and(|a| a == item.unchecked_ref::<web_sys::Element>()));
    let last = all.len() - 1;
    let next = match (key, at) {
        ("Home", _) | ("ArrowDown", None) => 0,
        ("End", _) | ("ArrowUp", None) => last,
        ("ArrowDown", Some(i)) => {
            if i == last {
                0
            } else {
                i + 1
            }
        }
        ("ArrowUp", Some(i)) => {
            if i == 0 {
                last
            } else {
                i - 1
            }
        }
        _ => return,
    };
    let _ = all[next].focus();
}

/// The actions of the conversation titled `title`.
#[component]
pub fn RowMenu(title: String, #[prop(into)] on_rename: Callback<()>, #[prop(into)] on_delete: Callback<()>) -> impl IntoView {
    let open = RwSignal::new(false);
    let button = NodeRef::<html::Button>::new();
    let menu = NodeRef::<html::Div>::new();
    let wrapper = NodeRef::<html::Div>::new();
    let close = move |focus_button: bool| {
        open.set(false);
        if focus_button {
            if let Some(button) = button.get_untracked() {
                let _ = button.focus();
            }
        }
    };
    let open_menu = move || {
        open.set(true);
        // Once the menu is in the page.
        request_animation_frame(move || {
            if let Some(menu) = menu.get_untracked() {
                move_focus(&menu, "Home");
            }
        });
    };
    let on_keydown = move |e: leptos::ev::KeyboardEvent| {
        let key = e.key();
        match key.as_str() {
            // Not the drawer's Esc nor the page's (which stops an answer).
            "Escape" if open.get_untracked() => {
                e.stop_propagation();
                e.prevent_default();
                close(true);
            }
            "ArrowDown" | "ArrowUp" | "Home" | "End" if open.get_untracked() => {
                e.prevent_default();
                if let Some(menu) = menu.get_untracked() {
                    move_focus(&menu, &key);
                }
            }
            "ArrowDown" | "ArrowUp" if !open.get_untracked() => {
                e.prevent_default();
                open_menu();
            }
            _ => {}
        }
    };
    // Tab away or a click elsewhere: the focus leaves the menu and it closes.
    let on_focusout = move |e: leptos::ev::FocusEvent| {
        let to = e.related_target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        let inside = wrapper.get_untracked().is_some_and(|w| to.is_some_and(|to| w.contains(Some(&to))));
        if !inside {
            open.set(false);
        }
    };
    let choose = move |action: Callback<()>| {
        move |_| {
            close(false);
            action.run(());
        }
    };
    view! {
        <div class="row-menu" node_ref=wrapper on:keydown=on_keydown on:focusout=on_focusout>
            <button type="button" class="row-menu-button" node_ref=button aria-haspopup="menu"
                aria-expanded=move || open.get().to_string() aria-label=format!("Actions for “{title}”") title="Rename or delete"
                on:click=move |_| if open.get_untracked() { close(true) } else { open_menu() }>
                <span aria-hidden="true">"⋯"</span>
            </button>
            <Show when=move || open.get()>
                <div class="row-menu-items" role="menu" node_ref=menu>
                    <button type="button" role="menuitem" tabindex="-1" class="rename" on:click=choose(on_rename)>"Rename"</button>
                    <button type="button" role="menuitem" tabindex="-1" class="delete" on:click=choose(on_delete)>"Delete"</button>
                </div>
            </Show>
        </div>
    }
}
