//! The Batches page: a form to create one, and the batches a page at a time, refreshed while
//! any of them is still working.
use futures_util::future::AbortHandle;
use leptos::prelude::*;

use super::{
    batch_card::BatchCard,
    create_form::CreateBatchForm,
    pager::Pager,
    pager_nav::PagerNav,
    poll::poll,
    progress::{fingerprint, is_active},
};
use crate::{
    api::use_api,
    components::{ErrorView, Loading},
    error::AppError,
    proto::{Batch, ListBatchesResponse},
};

/// Batches per page.
pub const PAGE_SIZE: i32 = 10;

/// What the list area shows.
#[derive(Clone, Debug, PartialEq)]
enum ListView {
    Loading,
    Failed(AppError),
    Empty,
    Ready,
}

/// The page at /batches.
#[component]
pub fn BatchesPage() -> impl IntoView {
    crate::components::use_page_title(|| vec!["Batches".into()]);
    let api = StoredValue::new_local(use_api());
    let pager = RwSignal::new(Pager::default());
    let token = Memo::new(move |_| pager.with(|p| p.token().to_owned()));
    let reload = RwSignal::new(0_u32);
    // The last page that loaded, and the last failure (shown above a stale page, or alone).
    let listing = RwSignal::new(None::<ListBatchesResponse>);
    let failure = RwSignal::new(None::<AppError>);
    let poller = StoredValue::new(None::<AbortHandle>);
    on_cleanup(move || {
        if let Some(handle) = poller.get_value() {
            handle.abort();
        }
    });

    Effect::new(move |_| {
        let token = token.get();
        reload.track();
        if let Some(handle) = poller.get_value() {
            handle.abort();
        }
        listing.set(None);
        failure.set(None);
        let handle = poll(
            move || {
                let (api, token) = (api.get_value(), token.clone());
                async move { api.list_batches(PAGE_SIZE, token).await }
            },
            |page: &ListBatchesResponse| page.batches.iter().any(is_active),
            |page: &ListBatchesResponse| (page.batches.iter().map(fingerprint).collect::<Vec<_>>(), page.pagination_token.clone()),
            move |result| match result {
                Ok(page) => {
                    pager.update(|p| p.loaded(&page.pagination_token));
                    if failure.with_untracked(Option::is_some) {
                        failure.set(None);
                    }
                    listing.set(Some(page));
                }
                Err(error) => failure.set(Some(error)),
            },
        );
        poller.set_value(Some(handle));
    });

    let view_state = Memo::new(move |_| match (listing.with(|l| l.as_ref().map(|p| p.batches.is_empty())), failure.get()) {
        (None, None) => ListView::Loading,
        (None, Some(error)) => ListView::Failed(error),
        (Some(true), _) => ListView::Empty,
        (Some(false), _) => ListView::Ready,
    });
    let batches = Memo::new(move |_| listing.with(|l| l.as_ref().map(|p| p.batches.clone()).unwrap_or_default()));
    let replace = Callback::new(move |changed: Batch| {
        listing.update(|l| {
            if let Some(slot) = l.as_mut().and_then(|p| p.batches.iter_mut().find(|b| b.batch_id == changed.batch_id)) {
                *slot = changed;
            }
        });
    });
    let retry = Callback::new(move |_| reload.update(|n| *n += 1));

    view! {
        <section class="batches">
            <h1>"Batches"</h1>
            <CreateBatchForm on_created=Callback::new(move |_| {
                pager.update(Pager::reset);
                reload.update(|n| *n += 1);
            })/>
            <h2>"Your batches"</h2>
            {move || match view_state.get() {
                ListView::Loading => view! { <Loading what="Loading batches"/> }.into_any(),
                ListView::Failed(error) => view! { <ErrorView error retry/> }.into_any(),
                ListView::Empty if pager.with_untracked(Pager::has_previous) => view! {
                    <p class="empty">"This page is empty: the batches after it are gone."</p>
                }.into_any(),
                ListView::Empty => view! { <p class="empty">"No batches yet. Create one above."</p> }.into_any(),
                ListView::Ready => view! {
                    {move || failure.get().map(|error| view! { <ErrorView error retry/> })}
                    <ul class="cards batch-list">
                        <For each=move || batches.get() key=|batch| batch.batch_id.clone() let(initial)>
                            {
                                let id = initial.batch_id.clone();
                                let current = Signal::derive(move || {
                                    batches.with(|all| all.iter().find(|b| b.batch_id == id).cloned()).unwrap_or_else(|| initial.clone())
                                });
                                view! { <BatchCard batch=current on_changed=replace/> }
                            }
                        </For>
                    </ul>
                }.into_any(),
            }}
            <PagerNav pager label="Batch pages"/>
        </section>
    }
}
