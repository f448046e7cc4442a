//! The key the app calls with (Auth.GetApiKey).
use leptos::prelude::*;
use leptos_router::components::A;

use super::{access_error::AccessError, acl};
use crate::{components::Loading, error::AppError, proto::ApiKey};

/// Name, redacted key, ACLs and state of the calling key.
#[component]
pub fn CurrentKey(current: LocalResource<Result<ApiKey, AppError>>) -> impl IntoView {
    view! {
        <section class="current-key-panel" aria-labelledby="current-key-title">
            <h2 id="current-key-title">"Current key"</h2>
            {move || match current.get() {
                None => view! { <Loading what="Loading the current key"/> }.into_any(),
                Some(Err(error)) => view! { <AccessError error/> }.into_any(),
                Some(Ok(key)) => {
                    let state = acl::key_state(&key);
                    let usable = acl::is_usable(&key);
                    view! {
                        <dl class="facts current-key">
                            <dt>"Name"</dt><dd class="current-key-name">{key.name.clone()}</dd>
                            <dt>"Key"</dt><dd><code>{key.redacted_api_key.clone()}</code></dd>
                            <dt>"Permissions"</dt><dd class="current-key-acls">{key.acls.join(", ")}</dd>
                            <dt>"State"</dt><dd><span class="key-state" data-state=state>{state}</span></dd>
                        </dl>
                        {(!usable).then(|| view! {
                            <p class="field-error key-unusable" role="alert">
                                "This key cannot make calls while it is " {state} ". "
                                <A href=crate::deploy::href("/settings")>"Use another key in Settings"</A>
                            </p>
                        })}
                    }.into_any()
                }
            }}
        </section>
    }
}
