//! Asks before a key is deleted, naming it.
use leptos::{html, prelude::*};

use crate::proto::ApiKey;

/// A confirmation for `key`; `on_confirm` deletes, `on_cancel` closes.
#[component]
pub fn DeleteConfirm(key: ApiKey, is_current: bool, on_confirm: Callback<ApiKey>, on_cancel: Callback<()>) -> impl IntoView {
    let cancel = NodeRef::<html::Button>::new();
    // The safe choice has focus, so Enter does not delete by accident.
    Effect::new(move |_| {
        if let Some(button) = cancel.get() {
            let _ = button.focus();
        }
    });
    let name = key.name.clone();
    view! {
        <div class="confirm" role="alertdialog" aria-labelledby="confirm-delete-title" aria-describedby="confirm-delete-text"
            on:keydown=move |e| if e.key() == "Escape" { on_cancel.run(()) }>
            <h3 id="confirm-delete-title">"Delete the key “" {name.clone()} "”?"</h3>
            <p id="confirm-delete-text">
                "Key " <code>{key.redacted_api_key.clone()}</code> " stops working at once for every app that uses it. This cannot be undone."
                {is_current.then_some(" This app is using this key right now: its calls will fail until you enter another key in Settings.")}
            </p>
            <div class="actions">
                <button type="button" class="danger" id="confirm-delete" on:click=move |_| on_confirm.run(key.clone())>
                    {format!("Delete “{name}”")}</button>
                <button type="button" class="secondary" id="cancel-delete" node_ref=cancel on:click=move |_| on_cancel.run(())>"Cancel"</button>
            </div>
        </div>
    }
}
