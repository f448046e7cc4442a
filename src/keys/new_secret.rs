//! The secret of a key just created, shown once: it lives only in this component's signal, is
//! never stored, and is gone when dismissed or when the page is left.
use leptos::prelude::*;

use crate::{components::file_io, proto::ApiKey};

/// The new key's secret with a copy button and the warning. `created` is cleared on dismiss.
#[component]
pub fn NewSecret(created: RwSignal<Option<ApiKey>>) -> impl IntoView {
    let copied = RwSignal::new(false);
    move || {
        created.get().map(|key| {
            let secret = key.api_key.clone();
            view! {
                <div class="new-secret" role="alert" aria-live="assertive">
                    <h3>"Key “" {key.name.clone()} "” created"</h3>
                    <p class="secret-warning"><strong>"Copy this secret now: it will not be shown again."</strong>
                        " It is not kept by this app; if you lose it, delete the key and create another."</p>
                    <div class="secret-row">
                        <code id="new-secret" class="secret">{key.api_key.clone()}</code>
                        <button type="button" id="copy-secret" on:click=move |_| {
                            file_io::copy_text(&secret);
                            copied.set(true);
                        }>{move || if copied.get() { "Copied" } else { "Copy" }}</button>
                    </div>
                    <button type="button" class="link" id="dismiss-secret" on:click=move |_| {
                        copied.set(false);
                        created.set(None);
                    }>"I have saved it — hide the secret"</button>
                </div>
            }
        })
    }
}
