//! The current key and the team's keys.
use leptos::prelude::*;

use crate::{
    app::use_api,
    components::{ErrorView, Loading},
    proto::ApiKey,
};

fn state(key: &ApiKey) -> &'static str {
    if key.team_blocked {
        "team blocked"
    } else if key.api_key_blocked {
        "blocked"
    } else if key.disabled {
        "disabled"
    } else {
        "active"
    }
}

/// Shows GetApiKey and ListApiKeys.
#[component]
pub fn KeysPage() -> impl IntoView {
    let api = use_api();
    let current = LocalResource::new({
        let api = api.clone();
        move || {
            let api = api.clone();
            async move { api.get_api_key().await }
        }
    });
    let all = LocalResource::new(move || {
        let api = api.clone();
        async move { api.list_api_keys().await }
    });

    view! {
        <section class="keys">
            <h1>"API keys"</h1>
            <h2>"Current key"</h2>
            <Suspense fallback=|| view! { <Loading what="Loading the current key"/> }>
                {move || current.get().map(|result| match result {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(key) => view! {
                        <dl class="facts current-key">
                            <dt>"Name"</dt><dd>{key.name.clone()}</dd>
                            <dt>"Key"</dt><dd><code>{key.redacted_api_key.clone()}</code></dd>
                            <dt>"Permissions"</dt><dd>{key.acls.join(", ")}</dd>
                            <dt>"State"</dt><dd>{state(&key)}</dd>
                        </dl>
                    }.into_any(),
                })}
            </Suspense>
            <h2>"All keys"</h2>
            <Suspense fallback=|| view! { <Loading what="Loading keys"/> }>
                {move || all.get().map(|result| match result {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(keys) => view! {
                        <table class="key-table">
                            <thead><tr><th>"Name"</th><th>"Key"</th><th>"Permissions"</th><th>"State"</th></tr></thead>
                            <tbody>
                                {keys.into_iter().map(|key| view! {
                                    <tr>
                                        <td>{key.name.clone()}</td>
                                        <td><code>{key.redacted_api_key.clone()}</code></td>
                                        <td>{key.acls.join(", ")}</td>
                                        <td>{state(&key)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
