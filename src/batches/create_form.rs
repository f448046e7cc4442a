//! Creates a batch from a name and request lines written in the page.
use leptos::prelude::*;
use leptos_router::components::A;

use super::{draft::BatchDraft, draft_problems::DraftProblems, requests_editor::RequestsEditor};
use crate::{
    api::use_api,
    components::ErrorView,
    proto::{Batch, CreateBatchRequest},
};

/// The form; `on_created` gets the new batch. The lines are cleared only once the batch exists,
/// so a failure loses nothing.
#[component]
pub fn CreateBatchForm(#[prop(into)] on_created: Callback<Batch>) -> impl IntoView {
    let api = StoredValue::new_local(use_api());
    let name = RwSignal::new(String::new());
    let draft = RwSignal::new(BatchDraft::default());
    let problems = RwSignal::new(Vec::<String>::new());
    let create = Action::new_local(move |request: &CreateBatchRequest| {
        let api = api.get_value();
        let request = request.clone();
        async move { api.create_batch(request).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(batch)) = create.value().get() {
            name.set(String::new());
            draft.update(|d| d.lines.clear());
            on_created.run(batch);
        }
    });
    let submit = move || {
        let mut found = Vec::new();
        let batch_name = name.get_untracked().trim().to_owned();
        if batch_name.is_empty() {
            found.push("give the batch a name".to_owned());
        }
        match draft.with_untracked(|d| d.requests(1)) {
            Ok(requests) if found.is_empty() => {
                problems.set(Vec::new());
                create.dispatch(CreateBatchRequest { name: batch_name, requests, ..Default::default() });
                return;
            }
            Ok(_) => {}
            Err(errors) => found.extend(errors.iter().map(ToString::to_string)),
        }
        problems.set(found);
    };

    view! {
        <form class="form batch-create" novalidate on:submit=move |e| { e.prevent_default(); submit(); }>
            <h2>"New batch"</h2>
            <label for="batch-name">"Name"</label>
            <input id="batch-name" type="text" placeholder="e.g. nightly summaries" prop:value=move || name.get()
                on:input=move |e| name.set(event_target_value(&e))/>
            <RequestsEditor draft/>
            <DraftProblems problems/>
            <button id="batch-create" type="submit" disabled=move || create.pending().get()>
                {move || if create.pending().get() { "Creating…" } else { "Create batch" }}
            </button>
            {move || create.value().get().map(|result| match result {
                Err(error) => view! { <ErrorView error/> }.into_any(),
                Ok(batch) => view! {
                    <p class="created" role="status">"Created " <A href=crate::deploy::href(&format!("/batches/{}", batch.batch_id))>{batch.name.clone()}</A></p>
                }.into_any(),
            })}
        </form>
    }
}
