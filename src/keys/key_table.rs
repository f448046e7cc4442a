//! The team's keys as a table (Auth.ListApiKeys); rows become cards at phone width.
use leptos::prelude::*;

use super::acl;
use crate::proto::ApiKey;

fn created(unix_seconds: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(unix_seconds as f64 * 1000.0));
    date.to_locale_date_string("default", &wasm_bindgen::JsValue::UNDEFINED).into()
}

/// One row per key; Delete asks `on_delete` (which confirms first). `current_id` marks the key
/// the app is using.
#[component]
pub fn KeyTable(keys: Vec<ApiKey>, #[prop(into)] current_id: Signal<Option<String>>, on_delete: Callback<ApiKey>) -> impl IntoView {
    if keys.is_empty() {
        return view! { <p class="muted empty" id="no-keys">"No keys yet."</p> }.into_any();
    }
    view! {
        <table class="key-table">
            <thead><tr><th>"Name"</th><th>"Key"</th><th>"Permissions"</th><th>"State"</th><th>"Created"</th><th><span class="visually-hidden">"Actions"</span></th></tr></thead>
            <tbody>
                {keys.into_iter().map(|key| {
                    let id = key.api_key_id.clone();
                    let is_current = move || current_id.with(|c| c.as_deref() == Some(id.as_str()));
                    let state = acl::key_state(&key);
                    let label = format!("Delete key “{}”", key.name);
                    let name = key.name.clone();
                    let (row_id, row_name) = (key.api_key_id.clone(), key.name.clone());
                    view! {
                        <tr class="key-row" data-id=row_id data-name=row_name>
                            <td data-label="Name" class="key-name"><span>{name}
                                {move || is_current().then(|| view! { <span class="badge">"in use here"</span> })}</span></td>
                            <td data-label="Key"><code>{key.redacted_api_key.clone()}</code></td>
                            <td data-label="Permissions"><span>{key.acls.join(", ")}</span></td>
                            <td data-label="State"><span class="key-state" data-state=state>{state}</span></td>
                            <td data-label="Created"><span>{created(key.create_time)}</span></td>
                            <td class="row-actions">
                                <button type="button" class="link delete-key" aria-label=label on:click=move |_| on_delete.run(key.clone())>"Delete"</button>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }.into_any()
}
