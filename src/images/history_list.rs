//! The history of generations kept on this device, newest first.
use leptos::prelude::*;

use super::{
    generation_view::GenerationView,
    state::{HistoryLoad, ImagesState},
};
use crate::components::Loading;

/// Every kept generation except the ones shown under the forms.
#[component]
pub fn HistoryList() -> impl IntoView {
    let state = expect_context::<ImagesState>();
    let shown = Memo::new(move |_| {
        let on_screen = [state.create_result.get(), state.edit_result.get()];
        state.history.with(|history| {
            history.iter().filter(|g| !on_screen.contains(&Some(g.id.clone()))).cloned().collect::<Vec<_>>()
        })
    });
    view! {
        <section class="image-history" id="history" aria-labelledby="history-title">
            <h2 id="history-title">"History"
                <small class="muted">{move || format!(" {} kept on this device", state.history.with(Vec::len))}</small>
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
