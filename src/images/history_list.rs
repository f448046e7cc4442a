//! The history of generations kept on this device, newest first.
use leptos::prelude::*;

use super::{
    generation_view::GenerationView,
    state::{HistoryLoad, ImagesState, Tab},
};
use crate::components::Loading;

/// Every kept generation except the ones shown under the forms.
#[component]
pub fn HistoryList() -> impl IntoView {
    let state = expect_context::<ImagesState>();
    // The open form's last result is shown under it, so it is not repeated here.
    let above = Memo::new(move |_| match state.tab.get() {
        Tab::Create => state.create_result.get(),
        Tab::Edit => state.edit_result.get(),
    });
    let shown = Memo::new(move |_| {
        let above = above.get();
        state.history.with(|history| history.iter().filter(|g| above.as_deref() != Some(g.id.as_str())).cloned().collect::<Vec<_>>())
    });
    view! {
        <section class="image-history" id="history" aria-labelledby="history-title">
            <h2 id="history-title">"History"
                <small class="muted">{move || {
                    let kept = state.history.with(Vec::len);
                    let note = if above.with(Option::is_some) { ", the newest shown above" } else { "" };
                    format!(" {kept} kept on this device{note}")
                }}</small>
            </h2>
            {move || state.store_error.get().map(|e| view! { <p class="field-error" role="alert">{format!("Not saved: {e}")}</p> })}
            {move || match state.load.get() {
                HistoryLoad::Loading => view! { <Loading what="Loading the history"/> }.into_any(),
                HistoryLoad::Failed(reason) => view! {
                    <p class="field-error" role="alert">{format!("The history could not be opened on this device ({reason}); new images are shown but not kept.")}</p>
                }.into_any(),
                HistoryLoad::Ready => ().into_any(),
            }}
            {move || (state.load.get() == HistoryLoad::Ready && state.history.with(Vec::is_empty)).then(|| view! {
                <p class="muted empty">"No images yet: what you create or edit is kept here, on this device."</p>
            })}
            <For each=move || shown.get() key=|g| g.id.clone() let:generation>
                <GenerationView generation/>
            </For>
        </section>
    }
}
