//! A file dropped beside a page's drop zone makes the browser open it and leave the app, losing
//! whatever was typed. Pages that take files call this: while they are mounted, only their drop
//! zones take files.
use leptos::prelude::*;

/// Cancels window-level file drops until the calling component is unmounted.
pub fn refuse_stray_drops() {
    // Window listeners outlive the component unless removed.
    let over = window_event_listener(leptos::ev::dragover, |e| e.prevent_default());
    let drop = window_event_listener(leptos::ev::drop, |e| e.prevent_default());
    on_cleanup(move || {
        over.remove();
        drop.remove();
    });
}
