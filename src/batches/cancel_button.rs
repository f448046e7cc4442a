//! Cancel with a confirmation: pending requests are dropped for good, so the user confirms first.
use leptos::{html, prelude::*};

use crate::{
    api::use_api,
    components::{focus_element_next_frame, ErrorView},
    proto::Batch,
};

/// A Cancel button that asks before cancelling; `on_cancelled` gets the batch as it is after.
#[component]
pub fn CancelButton(#[prop(into)] batch: Signal<Batch>, #[prop(into)] on_cancelled: Callback<Batch>) -> impl IntoView {
    let api = StoredValue::new_local(use_api());
    let asking = RwSignal::new(false);
    let cancel = Action::new_local(move |batch_id: &String| {
        let api = api.get_value();
        let batch_id = batch_id.clone();
        async move { api.cancel_batch(batch_id).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(batch)) = cancel.value().get() {
            asking.set(false);
            on_cancelled.run(batch);
        }
    });
    let pending_count = move || batch.with(|b| b.state.map_or(0, |s| s.num_pending));
    // The question takes the focus on its safe answer (Cancel batch is disabled meanwhile, so the
    // focus would otherwise be lost); keeping it running, or Esc, gives it back to Cancel batch.
    let keep = NodeRef::<html::Button>::new();
    let cancel_button = NodeRef::<html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = keep.get() {
            let _ = button.focus();
        }
    });
    let keep_running = move || {
        asking.set(false);
        // Next frame: the button is enabled again by then.
        focus_element_next_frame(move || cancel_button.get_untracked().map(Into::into));
    };

    view! {
        <button type="button" class="cancel-batch danger" node_ref=cancel_button on:click=move |_| asking.set(true)
            disabled=move || asking.get() || cancel.pending().get()>"Cancel batch"</button>
        <Show when=move || asking.get()>
            <div class="confirm" role="alertdialog" aria-labelledby="confirm-cancel-title"
                on:keydown=move |e| if e.key() == "Escape" { e.stop_propagation(); keep_running(); }>
                <p id="confirm-cancel-title"><strong>{move || format!("Cancel “{}”?", batch.with(|b| b.name.clone()))}</strong></p>
                <p>{move || format!("Its {} pending request(s) will not run. Finished results stay.", pending_count())}</p>
                <div class="confirm-actions">
                    <button type="button" class="confirm-cancel danger" disabled=move || cancel.pending().get()
                        on:click=move |_| { cancel.dispatch(batch.with_untracked(|b| b.batch_id.clone())); }>"Yes, cancel it"</button>
                    <button type="button" class="confirm-keep" node_ref=keep on:click=move |_| keep_running()>"Keep it running"</button>
                </div>
                {move || cancel.value().get().and_then(Result::err).map(|error| view! { <ErrorView error/> })}
            </div>
        </Show>
    }
}
