//! A batch's results, a page at a time (BatchMgmt.ListBatchResults), fetched again when more
//! requests have finished.
use leptos::prelude::*;

use super::{pager::Pager, pager_nav::PagerNav, result_view::ResultView};
use crate::{
    api::use_api,
    components::{ErrorView, Loading},
};

/// Results per page.
pub const RESULTS_PAGE_SIZE: i32 = 10;

/// The results of `batch_id`; `finished` is how many requests have an outcome (a change fetches
/// the page again).
#[component]
pub fn ResultsList(batch_id: String, #[prop(into)] finished: Signal<i64>) -> impl IntoView {
    let api = StoredValue::new_local(use_api());
    let pager = RwSignal::new(Pager::default());
    let token = Memo::new(move |_| pager.with(|p| p.token().to_owned()));
    let results = LocalResource::new(move || {
        let (api, batch_id, token) = (api.get_value(), batch_id.clone(), token.get());
        finished.track();
        async move { api.list_batch_results(batch_id, RESULTS_PAGE_SIZE, token).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(page)) = results.get() {
            pager.update(|p| p.loaded(&page.pagination_token));
        }
    });

    view! {
        <section class="batch-results" aria-label="Results">
            <h2>"Results"</h2>
            {move || match results.get() {
                None => view! { <Loading what="Loading results"/> }.into_any(),
                Some(Err(error)) => view! { <ErrorView error retry=Callback::new(move |_| results.refetch())/> }.into_any(),
                Some(Ok(page)) if page.results.is_empty() => view! {
                    <p class="empty">"No results yet: they appear here as requests finish."</p>
                }.into_any(),
                Some(Ok(page)) => view! {
                    <ul class="cards result-list">
                        {page.results.into_iter().map(|result| view! { <ResultView result/> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <PagerNav pager label="Result pages"/>
        </section>
    }
}
