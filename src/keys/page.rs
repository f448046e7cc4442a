//! The API keys page: the current key, the team's keys, create and delete.
use leptos::prelude::*;
use tonic::Code;

use super::{
    access_error::AccessError, create_form::CreateKeyForm, current_key::CurrentKey, delete_confirm::DeleteConfirm, key_table::KeyTable,
    new_secret::NewSecret,
};
use crate::{
    api::use_api,
    components::{focus_next_frame, Loading},
    proto::ApiKey,
};

/// GetApiKey, ListApiKeys, CreateApiKey and DeleteApiKey on one page.
#[component]
pub fn KeysPage() -> impl IntoView {
    crate::components::use_page_title(|| vec!["Keys".into()]);
    let api = StoredValue::new_local(use_api());
    let current = LocalResource::new(move || {
        let api = api.get_value();
        async move { api.get_api_key().await }
    });
    let refresh = RwSignal::new(0_u32);
    let all = LocalResource::new(move || {
        refresh.track();
        let api = api.get_value();
        async move { api.list_api_keys().await }
    });
    let current_id = Signal::derive(move || current.get().and_then(Result::ok).map(|key| key.api_key_id));
    // The new key with its secret: only here, gone when dismissed or when the page unmounts.
    let created = RwSignal::new(None::<ApiKey>);
    let to_delete = RwSignal::new(None::<ApiKey>);
    let delete = Action::new_local(move |key: &ApiKey| {
        let (api, id) = (api.get_value(), key.api_key_id.clone());
        async move {
            let result = api.delete_api_key(id).await;
            to_delete.set(None);
            refresh.update(|n| *n += 1);
            result
        }
    });
    let denied = move || matches!(all.get(), Some(Err(ref error)) if error.code == Code::PermissionDenied);

    view! {
        <section class="keys">
            <h1>"API keys"</h1>
            <CurrentKey current/>
            <section class="all-keys" aria-labelledby="all-keys-title">
                <h2 id="all-keys-title">"All keys"</h2>
                <NewSecret created/>
                {move || to_delete.get().map(|key| {
                    let is_current = current_id.with(|c| c.as_deref() == Some(key.api_key_id.as_str()));
                    view! {
                        <DeleteConfirm key is_current
                            on_confirm=Callback::new(move |key: ApiKey| { delete.dispatch(key); })
                            on_cancel=Callback::new(move |_| {
                                // Back to the Delete button that asked.
                                let row = to_delete.get_untracked().map(|key| format!(".key-row[data-id=\"{}\"] .delete-key", key.api_key_id));
                                to_delete.set(None);
                                focus_next_frame(row.into_iter().collect());
                            })/>
                    }
                })}
                {move || delete.value().get().and_then(Result::err).map(|error| view! { <AccessError error needed="keys"/> })}
                {move || match all.get() {
                    None => view! { <Loading what="Loading keys"/> }.into_any(),
                    Some(Err(error)) => view! { <AccessError error needed="keys"/> }.into_any(),
                    Some(Ok(keys)) => view! {
                        <KeyTable keys current_id on_delete=Callback::new(move |key| to_delete.set(Some(key)))/>
                    }.into_any(),
                }}
            </section>
            <Show when=move || !denied()>
                <section class="new-key" aria-labelledby="new-key-title">
                    <h2 id="new-key-title">"Create a key"</h2>
                    <CreateKeyForm created on_created=Callback::new(move |_| refresh.update(|n| *n += 1))/>
                </section>
            </Show>
        </section>
    }
}
