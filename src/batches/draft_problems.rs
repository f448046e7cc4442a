//! What is wrong with the request lines, shown under them until they are fixed.
use leptos::prelude::*;

/// One item per problem (e.g. "line 2: the prompt after the prefix is empty"); nothing when
/// there are none.
#[component]
pub fn DraftProblems(problems: RwSignal<Vec<String>>) -> impl IntoView {
    view! {
        <Show when=move || !problems.with(Vec::is_empty)>
            <ul class="field-error draft-errors" role="alert">
                {move || problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
            </ul>
        </Show>
    }
}
