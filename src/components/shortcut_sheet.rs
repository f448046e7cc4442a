//! The keyboard shortcut sheet: `?` (outside a text field) or the navigation's "?" button opens a
//! modal dialog listing the app's shortcuts. While it is open the rest of the app is `inert` and
//! Tab stays inside it; Esc, its Close button or a click beside it close it, and the focus goes
//! back to what had it before.
use leptos::{html, prelude::*};
use wasm_bindgen::JsCast;

/// The app's shortcuts as the sheet lists them: the keys (each shown as a key cap) and what
/// they do. Keep in step with the handlers (src/chat/shortcuts.rs, the composer, the menus).
pub const SHORTCUTS: &[(&[&str], &str)] = &[
    (&["?"], "Show this list of shortcuts"),
    (&["Alt", "N"], "New chat (Option+N on a Mac)"),
    (&["Enter"], "Send the message (in the chat's message field)"),
    (&["Shift", "Enter"], "New line in the message"),
    (&["Esc"], "Stop the answer being written; close a menu, the conversation drawer, a dialog or a full-size image"),
    (&["Ctrl", "Enter"], "Create images from the prompt (Images)"),
    (&["←", "→", "Home", "End"], "Switch tabs (Images: Create and Edit)"),
    (&["↑", "↓", "Home", "End"], "Move through a conversation's actions menu"),
    (&["Tab"], "Next control; the first is “Skip to content”"),
];

/// The sheet's rows as HTML, each key a key cap. Built from `SHORTCUTS` alone (constants with
/// no markup, see the tests), as one string: a view per row and per key cost the wasm 0.8 K brotli.
fn shortcut_rows_html() -> String {
    SHORTCUTS
        .iter()
        .map(|(keys, what)| {
            let caps: String = keys.iter().map(|key| format!("<kbd>{key}</kbd>")).collect();
            format!("<div class=\"shortcut\"><dt>{caps}</dt><dd>{what}</dd></div>")
        })
        .collect()
}

/// Whether the sheet is open; in context, shared by the sheet and the button that opens it.
#[derive(Clone, Copy)]
pub struct ShortcutSheetOpen(pub RwSignal<bool>);

/// The fields of a keydown event that decide whether it opens the sheet.
#[derive(Clone, Copy, Debug, Default)]
pub struct SheetKey<'a> {
    pub key: &'a str,
    pub ctrl: bool,
    pub alt: bool,
    pub meta: bool,
    /// The press happened where `?` types a character (a text field, a select, an editable).
    pub in_field: bool,
}

/// Whether a key press opens the sheet: `?` however the layout produces it (Shift+/ on most,
/// AltGr, i.e. Ctrl+Alt, on some), never while typing nor with Ctrl or Cmd alone (the browser's).
pub fn opens_sheet(press: SheetKey) -> bool {
    press.key == "?" && !press.in_field && !press.meta && (!press.ctrl || press.alt)
}

/// Whether the event's target takes typed characters.
fn in_field(event: &web_sys::KeyboardEvent) -> bool {
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|element| matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || element.is_content_editable())
}

/// Makes the app behind the sheet inert (or not), so neither Tab nor a screen reader's cursor
/// reaches it.
fn set_app_inert(inert: bool) {
    let Some(shell) = document().query_selector(".shell").ok().flatten() else { return };
    let _ = if inert { shell.set_attribute("inert", "") } else { shell.remove_attribute("inert") };
}

/// The sheet. Mounted once beside the app's shell; `ShortcutSheetOpen` must be in context.
#[component]
pub fn ShortcutSheet() -> impl IntoView {
    let ShortcutSheetOpen(open) = expect_context::<ShortcutSheetOpen>();
    let close_button = NodeRef::<html::Button>::new();
    let opener = StoredValue::new_local(None::<web_sys::HtmlElement>);

    // Every key while the sheet is open is the sheet's: Esc closes it, Tab stays on Close (its
    // one control), and no page's shortcut acts behind it (Esc must not also stop an answer).
    // On the window rather than the dialog, so a key pressed before the focus has moved in is
    // caught too; registered before any page's listener (the sheet is mounted before the shell),
    // so stopping the event here keeps it from theirs.
    let handle = window_event_listener(leptos::ev::keydown, move |e| {
        if open.get_untracked() {
            e.stop_immediate_propagation();
            match e.key().as_str() {
                "Escape" => {
                    e.prevent_default();
                    open.set(false);
                }
                "Tab" => {
                    e.prevent_default();
                    if let Some(button) = close_button.get_untracked() {
                        let _ = button.focus();
                    }
                }
                _ => {}
            }
            return;
        }
        let key = e.key();
        let press = SheetKey { key: &key, ctrl: e.ctrl_key(), alt: e.alt_key(), meta: e.meta_key(), in_field: in_field(&e) };
        if opens_sheet(press) {
            e.prevent_default();
            open.set(true);
        }
    });
    on_cleanup(move || handle.remove());

    // Opening: remember the focus, make the app inert, focus Close. Closing: the reverse.
    Effect::new(move |_| {
        if open.get() {
            if opener.with_value(Option::is_none) {
                opener.set_value(document().active_element().and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok()));
            }
            set_app_inert(true);
            // Once the dialog is in the page.
            super::focus_element_next_frame(move || close_button.get_untracked().map(Into::into));
        } else if let Some(element) = opener.try_update_value(Option::take).flatten() {
            set_app_inert(false);
            let _ = element.focus();
        } else {
            set_app_inert(false);
        }
    });
    on_cleanup(move || set_app_inert(false));

    view! {
        <Show when=move || open.get()>
            <div class="sheet-backdrop" on:click=move |e| {
                // Only a click on the backdrop itself, beside the sheet.
                if e.target() == e.current_target() {
                    open.set(false);
                }
            }>
                <div class="shortcut-sheet" role="dialog" aria-modal="true" aria-labelledby="shortcut-sheet-title" tabindex="-1">
                    <div class="shortcut-sheet-head">
                        <h2 id="shortcut-sheet-title">"Keyboard shortcuts"</h2>
                        <button type="button" class="secondary" node_ref=close_button on:click=move |_| open.set(false)>"Close"</button>
                    </div>
                    <dl class="shortcut-list" inner_html=shortcut_rows_html()></dl>
                </div>
            </div>
        </Show>
    }
}

/// The navigation's button that opens the sheet (for those who do not know about `?`).
#[component]
pub fn ShortcutSheetButton() -> impl IntoView {
    let ShortcutSheetOpen(open) = expect_context::<ShortcutSheetOpen>();
    view! {
        <button type="button" class="shortcuts-button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)"
            aria-haspopup="dialog" on:click=move |_| open.set(true)>"?"</button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(key: &'static str) -> SheetKey<'static> {
        SheetKey { key, ..Default::default() }
    }

    #[test]
    fn question_mark_opens_the_sheet_outside_fields() {
        assert!(opens_sheet(press("?")));
        // AltGr (Ctrl+Alt) types "?" on some layouts.
        assert!(opens_sheet(SheetKey { ctrl: true, alt: true, ..press("?") }));
    }

    #[test]
    fn typing_a_question_mark_or_other_keys_does_not() {
        assert!(!opens_sheet(SheetKey { in_field: true, ..press("?") }));
        assert!(!opens_sheet(SheetKey { ctrl: true, ..press("?") }));
        assert!(!opens_sheet(SheetKey { meta: true, ..press("?") }));
        assert!(!opens_sheet(press("/")));
        assert!(!opens_sheet(press("h")));
    }

    #[test]
    fn the_rows_are_built_from_constants_without_markup() {
        assert!(SHORTCUTS.iter().all(|(keys, what)| !what.contains(['<', '>', '&']) && keys.iter().all(|k| !k.contains(['<', '>', '&']))));
        let html = shortcut_rows_html();
        assert!(html.starts_with("<div class=\"shortcut\"><dt><kbd>?</kbd></dt><dd>Show this list of shortcuts</dd></div>"), "{html}");
        assert!(html.contains("<dt><kbd>Alt</kbd><kbd>N</kbd></dt>"));
    }

    #[test]
    fn every_shortcut_names_keys_and_what_they_do() {
        assert!(SHORTCUTS.iter().all(|(keys, what)| !keys.is_empty() && !what.is_empty()));
        assert!(SHORTCUTS.iter().any(|(keys, _)| *keys == ["?"]));
        assert!(SHORTCUTS.iter().any(|(keys, _)| *keys == ["Alt", "N"]));
    }
}
