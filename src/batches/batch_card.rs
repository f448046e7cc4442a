//! One batch in the list: name (a link to its detail), status, progress, cost, cancel.
use leptos::prelude::*;
use leptos_router::components::A;

use super::{
    cancel_button::CancelButton,
    progress::{is_active, status_label},
    progress_bar::ProgressBar,
};
use crate::{format, proto::Batch};

/// A card that follows `batch` as the list refreshes; `on_changed` gets the batch after a cancel.
#[component]
pub fn BatchCard(#[prop(into)] batch: Signal<Batch>, #[prop(into)] on_changed: Callback<Batch>) -> impl IntoView {
    let id = batch.with_untracked(|b| b.batch_id.clone());
    let cost = move || batch.with(|b| b.cost_breakdown.as_ref().map_or(0, |c| c.total_cost_usd_ticks));
    view! {
        <li class="card batch-card" data-batch=id.clone() data-status=move || batch.with(status_label)>
            <div class="batch-head">
                <A href=crate::deploy::href(&format!("/batches/{id}"))><strong>{move || batch.with(|b| b.name.clone())}</strong></A>
                <span class="badge status">{move || batch.with(status_label)}</span>
            </div>
            <ProgressBar batch/>
            <span class="muted">"Cost: " {move || format::cost(cost())}</span>
            <Show when=move || batch.with(is_active)>
                <CancelButton batch on_cancelled=on_changed/>
            </Show>
        </li>
    }
}
