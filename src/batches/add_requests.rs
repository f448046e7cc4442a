//! Adds requests to an existing batch (BatchMgmt.AddBatchRequests).
use leptos::prelude::*;

use super::{draft::BatchDraft, draft_problems::DraftProblems, requests_editor::RequestsEditor};
use crate::{api::use_api, components::ErrorView, proto::Batch};

/// A collapsible form under the batch; `on_added` gets the batch with its new counts.
#[component]
pub fn AddRequestsForm(#[prop(into)] batch: Signal<Batch>, #[prop(into)] on_added: Callback<Batch>) -> impl IntoView {
    let api = StoredValue::new_local(use_api());
    let draft = RwSignal::new(BatchDraft::default());
    let problems = RwSignal::new(Vec::<String>::new());
    let add = Action::new_local(move |(batch_id, requests): &(String, Vec<crate::proto::BatchRequest>)| {
        let (api, batch_id, requests) = (api.get_value(), batch_id.clone(), requests.clone());
        async move { api.add_batch_requests(batch_id, requests).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(batch)) = add.value().get() {
            draft.update(|d| d.lines.clear());
            on_added.run(batch);
        }
    });
    let submit = move || {
        let (batch_id, count) = batch.with_untracked(|b| (b.batch_id.clone(), b.state.map_or(0, |s| s.num_requests)));
        match draft.with_untracked(|d| d.requests(count + 1)) {
            Ok(requests) => {
                problems.set(Vec::new());
                add.dispatch((batch_id, requests));
            }
            Err(errors) => problems.set(errors.iter().map(ToString::to_string).collect()),
        }
    };

    view! {
        <details class="add-requests">
            <summary>"Add requests"</summary>
            <form class="form" novalidate on:submit=move |e| { e.prevent_default(); submit(); }>
                <RequestsEditor draft/>
                <DraftProblems problems/>
                <button id="batch-add" type="submit" disabled=move || add.pending().get()>"Add to batch"</button>
                {move || add.value().get().and_then(Result::err).map(|error| view! { <ErrorView error/> })}
            </form>
        </details>
    }
}
