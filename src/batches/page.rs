//! The list of batches with their progress.
use leptos::prelude::*;

use crate::{
    app::use_api,
    components::{ErrorView, Loading},
    format,
};

/// Lists the newest batches.
#[component]
pub fn BatchesPage() -> impl IntoView {
    let api = use_api();
    let batches = LocalResource::new(move || {
        let api = api.clone();
        async move { api.list_batches(20, String::new()).await }
    });
    view! {
        <section class="batches">
            <h1>"Batches"</h1>
            <Suspense fallback=|| view! { <Loading what="Loading batches"/> }>
                {move || batches.get().map(|result| match result {
                    Err(error) => view! { <ErrorView error retry=Callback::new(move |_| batches.refetch())/> }.into_any(),
                    Ok(page) if page.batches.is_empty() => view! { <p class="empty">"No batches yet."</p> }.into_any(),
                    Ok(page) => view! {
                        <ul class="cards">
                            {page.batches.into_iter().map(|batch| {
                                let state = batch.state.unwrap_or_default();
                                let done = state.num_requests - state.num_pending;
                                let cost = batch.cost_breakdown.map(|c| c.total_cost_usd_ticks).unwrap_or(0);
                                view! {
                                    <li class="card">
                                        <strong>{batch.name.clone()}</strong>
                                        <progress max=state.num_requests.max(1) value=done></progress>
                                        <span>{format!("{done} of {} done ({} failed, {} cancelled)", state.num_requests, state.num_error, state.num_cancelled)}</span>
                                        <span>"Cost: " {format::cost(cost)}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
