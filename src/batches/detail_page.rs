//! One batch at /batches/:id: progress (polled while it works), cost, cancel, more requests, and
//! its results.
use futures_util::future::AbortHandle;
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_params_map};

use super::{
    add_requests::AddRequestsForm,
    cancel_button::CancelButton,
    poll::poll,
    progress::{fingerprint, is_active, status_label, Progress},
    progress_bar::ProgressBar,
    results_list::ResultsList,
};
use crate::{
    api::use_api,
    components::{ErrorView, Loading},
    error::AppError,
    format,
    proto::{Batch, BatchStatus},
};

/// "2025-01-31 14:05 UTC" for Unix seconds, "—" when unset.
fn time(seconds: i64) -> String {
    if seconds <= 0 {
        return "—".to_owned();
    }
    format::utc_date(seconds, true)
}

/// The detail page.
#[component]
pub fn BatchDetailPage() -> impl IntoView {
    let api = StoredValue::new_local(use_api());
    let params = use_params_map();
    let batch_id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    crate::components::use_page_title(move || vec![batch_id.get(), "Batches".into()]);
    let batch = RwSignal::new(None::<Batch>);
    let failure = RwSignal::new(None::<AppError>);
    let restart = RwSignal::new(0_u32);
    let poller = StoredValue::new(None::<AbortHandle>);
    on_cleanup(move || {
        if let Some(handle) = poller.get_value() {
            handle.abort();
        }
    });
    Effect::new(move |_| {
        let id = batch_id.get();
        restart.track();
        if let Some(handle) = poller.get_value() {
            handle.abort();
        }
        let handle = poll(
            move || {
                let (api, id) = (api.get_value(), id.clone());
                async move { api.get_batch(id).await }
            },
            is_active,
            fingerprint,
            move |result| match result {
                Ok(latest) => {
                    // Only a real change notifies: the page below must not be rebuilt per poll.
                    if failure.with_untracked(Option::is_some) {
                        failure.set(None);
                    }
                    batch.set(Some(latest));
                }
                Err(error) => failure.set(Some(error)),
            },
        );
        poller.set_value(Some(handle));
    });
    // A batch that stopped polling picks it up again when requests are added.
    let changed = Callback::new(move |latest: Batch| {
        let resume = is_active(&latest);
        batch.set(Some(latest));
        if resume {
            restart.update(|n| *n += 1);
        }
    });
    let loaded = Memo::new(move |_| batch.with(Option::is_some));
    let retry = Callback::new(move |_| restart.update(|n| *n += 1));

    view! {
        <section class="batch-detail">
            <p><A href=crate::deploy::href("/batches")>"← All batches"</A></p>
            {move || if loaded.get() {
                let current = Signal::derive(move || batch.get().unwrap_or_default());
                // A memo, so the results are fetched again only when more requests finished.
                let finished = Memo::new(move |_| Progress::of(&current.with(|b| b.state.unwrap_or_default())).finished);
                view! {
                    {move || failure.get().map(|error| view! { <ErrorView error retry/> })}
                    <BatchSummary batch=current on_changed=changed/>
                    <ResultsList batch_id=batch_id.get_untracked() finished/>
                }.into_any()
            } else {
                view! {
                    {move || match failure.get() {
                        None => view! { <Loading what="Loading batch"/> }.into_any(),
                        Some(error) => view! { <ErrorView error retry/> }.into_any(),
                    }}
                }.into_any()
            }}
        </section>
    }
}

/// Name, status, progress, times, cost by endpoint, and the actions the status allows.
#[component]
fn BatchSummary(#[prop(into)] batch: Signal<Batch>, #[prop(into)] on_changed: Callback<Batch>) -> impl IntoView {
    let cost = move || batch.with(|b| b.cost_breakdown.clone().unwrap_or_default());
    view! {
        <div class="batch-summary" data-status=move || batch.with(status_label)>
            <h1>{move || batch.with(|b| b.name.clone())}</h1>
            <p><span class="badge status">{move || batch.with(status_label)}</span> " " <code class="muted">{move || batch.with(|b| b.batch_id.clone())}</code></p>
            <ProgressBar batch/>
            <dl class="facts">
                <dt>"Created"</dt><dd>{move || time(batch.with(|b| b.create_time))}</dd>
                <dt>"Expires"</dt><dd>{move || time(batch.with(|b| b.expire_time))}</dd>
                {move || (batch.with(|b| b.cancel_time) > 0).then(|| view! { <dt>"Cancelled"</dt><dd>{time(batch.with(|b| b.cancel_time))}</dd> })}
                <dt>"Cost"</dt><dd class="batch-cost">{move || format::cost(cost().total_cost_usd_ticks)}</dd>
                {move || cost().endpoint_costs.into_iter().map(|endpoint| view! {
                    <dt>{format!("· {}", endpoint.endpoint)}</dt>
                    <dd>{format!("{} for {} request(s)", format::cost(endpoint.cost_usd_ticks), endpoint.request_count)}</dd>
                }).collect_view()}
            </dl>
            <div class="batch-actions">
                <Show when=move || batch.with(is_active)>
                    <CancelButton batch on_cancelled=on_changed/>
                </Show>
            </div>
            <Show when=move || batch.with(|b| b.status() != BatchStatus::Cancelled && b.cancel_time == 0)>
                <AddRequestsForm batch on_added=on_changed/>
            </Show>
        </div>
    }
}
