//! Creates a key (Auth.CreateApiKey): a name and ACL checkboxes.
use std::collections::BTreeSet;

use leptos::prelude::*;

use super::{
    access_error::AccessError,
    acl::{self, ACL_CHOICES},
};
use crate::{api::use_api, proto::ApiKey};

/// The form. A created key (with its secret) goes to `created`; `on_created` refreshes the list.
#[component]
pub fn CreateKeyForm(created: RwSignal<Option<ApiKey>>, on_created: Callback<()>) -> impl IntoView {
    let api = StoredValue::new_local(use_api());
    let name_field = RwSignal::new(String::new());
    let ticked = RwSignal::new(BTreeSet::from(["*".to_owned()]));
    let form_error = RwSignal::new(None::<String>);
    // The answer carries the secret: it goes straight into `created` and is not kept here.
    let create = Action::new_local(move |(name, acls): &(String, Vec<String>)| {
        let (api, name, acls) = (api.get_value(), name.clone(), acls.clone());
        async move {
            let key = api.create_api_key(name, acls).await?;
            created.set(Some(key));
            name_field.set(String::new());
            // The page may have been left while the key was made: then there is no list to
            // refresh (running a disposed callback would panic).
            on_created.try_run(());
            Ok::<_, crate::error::AppError>(())
        }
    });
    let star = move || ticked.with(|t| t.contains("*"));

    view! {
        <form class="form key-form" id="create-key-form" on:submit=move |e| {
            e.prevent_default();
            match ticked.with_untracked(|t| acl::new_key(&name_field.get_untracked(), t)) {
                Ok(request) => {
                    form_error.set(None);
                    create.dispatch(request);
                }
                Err(error) => form_error.set(Some(error.to_string())),
            }
        }>
            <label for="key-name">"Name"</label>
            <input id="key-name" type="text" maxlength=acl::MAX_NAME_CHARS autocomplete="off" placeholder="e.g. CI pipeline"
                prop:value=move || name_field.get() on:input=move |e| name_field.set(event_target_value(&e))/>
            <fieldset class="acl-choices">
                <legend>"Permissions (ACLs)"</legend>
                {ACL_CHOICES.iter().map(|choice| {
                    let value = choice.value;
                    let covered = move || value != "*" && star();
                    view! {
                        <label class="inline acl-choice">
                            <input type="checkbox" name="acl" value=value
                                prop:checked=move || ticked.with(|t| t.contains(value)) || covered()
                                disabled=covered
                                on:change=move |e| {
                                    let on = event_target_checked(&e);
                                    ticked.update(|t| { if on { t.insert(value.to_owned()); } else { t.remove(value); } });
                                }/>
                            <code>{value}</code> " " <span class="muted">{choice.allows}</span>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            {move || form_error.get().map(|e| view! { <p class="field-error" id="key-form-error" role="alert">{e}</p> })}
            <button type="submit" id="create-key" disabled=move || create.pending().get()>
                {move || if create.pending().get() { "Creating …" } else { "Create key" }}</button>
        </form>
        {move || create.value().get().and_then(Result::err).map(|error| view! { <AccessError error needed="keys"/> })}
    }
}
