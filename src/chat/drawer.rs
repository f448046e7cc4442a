//! The conversation list as a drawer at phone width (style/chat.css, max-width 48rem): a button
//! in the chat header opens it; Esc, a click on the backdrop or choosing a chat closes it. Focus
//! moves into the drawer when it opens and back to the button when it closes; while it is open
//! the rest of the page is `inert`, so Tab stays in the drawer. Wider, the list is a column
//! beside the thread and the button and the backdrop are not shown.
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::focus_next_frame;

/// The id of the button that opens the drawer (focus comes back to it).
const TOGGLE_ID: &str = "chat-drawer-toggle";
/// The id of the drawer itself.
const DRAWER_ID: &str = "chat-drawer";
/// The layout in which the list is a drawer (style/chat.css).
const DRAWER_LAYOUT: &str = "(max-width: 48rem)";
/// What the open drawer covers: made inert while it is open.
const COVERED: [&str; 2] = [".shell > header.nav", ".chat-main"];

/// Makes what the drawer covers inert (or not).
fn set_covered_inert(inert: bool) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    for element in COVERED.iter().filter_map(|selector| document.query_selector(selector).ok().flatten()) {
        let _ = if inert { element.set_attribute("inert", "") } else { element.remove_attribute("inert") };
    }
}

/// Whether the window is in the drawer layout.
fn drawer_layout() -> bool {
    web_sys::window().and_then(|w| w.match_media(DRAWER_LAYOUT).ok().flatten()).is_some_and(|query| query.matches())
}

/// Whether the drawer is open; `Copy`, shared by the toggle, the drawer and the backdrop.
#[derive(Clone, Copy)]
pub struct Drawer {
    open: RwSignal<bool>,
}

impl Drawer {
    pub fn new() -> Self {
        Drawer { open: RwSignal::new(false) }
    }

    /// Opens the drawer, focusing the selected chat (else "New chat").
    pub fn open(self) {
        self.open.set(true);
        set_covered_inert(true);
        focus_next_frame(vec!["#chat-drawer .conversation.selected .conversation-title", "#chat-drawer #new-chat"]);
    }

    /// Closes the drawer if it is open, and gives the focus back to its button.
    pub fn close(self) {
        if self.open.get_untracked() {
            self.open.set(false);
            set_covered_inert(false);
            focus_next_frame(vec!["#chat-drawer-toggle"]);
        }
    }

    /// Closes the drawer when the window grows out of the drawer layout (a tablet turned), where
    /// its button is not shown; also when the page goes, so nothing is left inert.
    fn close_when_gone(self) {
        let resize = window_event_listener(leptos::ev::resize, move |_| {
            if !drawer_layout() {
                self.close();
            }
        });
        on_cleanup(move || {
            resize.remove();
            set_covered_inert(false);
        });
    }
}

/// The header button that opens the drawer (shown at phone width only).
#[component]
pub fn DrawerToggle(drawer: Drawer) -> impl IntoView {
    view! {
        <button type="button" id=TOGGLE_ID class="drawer-toggle secondary" aria-controls=DRAWER_ID
            aria-expanded=move || drawer.open.get().to_string()
            on:click=move |_| if drawer.open.get_untracked() { drawer.close() } else { drawer.open() }>
            <span aria-hidden="true">"☰"</span>
            <span class="visually-hidden">"Conversations"</span>
        </button>
    }
}

/// The drawer around `children` (the conversation list), with its backdrop while open.
#[component]
pub fn ConversationDrawer(drawer: Drawer, children: Children) -> impl IntoView {
    drawer.close_when_gone();
    // Choosing a chat (or starting one) is what the drawer was opened for: it closes.
    let on_click = move |e: leptos::ev::MouseEvent| {
        let chose = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|t| t.closest(".conversation-title, #new-chat").ok().flatten())
            .is_some();
        if chose {
            drawer.close();
        }
    };
    // Esc closes the drawer and nothing else (not the page's Esc, which stops an answer); in the
    // rename field it only cancels the rename.
    let on_keydown = move |e: leptos::ev::KeyboardEvent| {
        let renaming =
            e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).is_some_and(|t| t.class_list().contains("rename-input"));
        if e.key() == "Escape" && drawer.open.get_untracked() && !renaming {
            e.stop_propagation();
            drawer.close();
        }
    };
    view! {
        <div id=DRAWER_ID class="chat-drawer" class:open=move || drawer.open.get() on:click=on_click on:keydown=on_keydown>
            {children()}
        </div>
        <Show when=move || drawer.open.get()>
            <div class="drawer-backdrop" aria-hidden="true" on:click=move |_| drawer.close()></div>
        </Show>
    }
}
