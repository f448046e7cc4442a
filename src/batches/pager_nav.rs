//! Previous / Next buttons for a token-paged list.
use leptos::prelude::*;

use super::pager::Pager;

/// The page controls; hidden when everything fits on one page.
#[component]
pub fn PagerNav(pager: RwSignal<Pager>, #[prop(into)] label: String) -> impl IntoView {
    let shown = move || pager.with(|p| p.has_previous() || p.has_next());
    view! {
        <Show when=shown>
            <nav class="pager" aria-label=label.clone()>
                <button type="button" class="page-prev" disabled=move || !pager.with(Pager::has_previous)
                    on:click=move |_| { pager.update(|p| { p.go_previous(); }); }>"← Previous"</button>
                <span class="page-number">{move || format!("Page {}", pager.with(Pager::page_number))}</span>
                <button type="button" class="page-next" disabled=move || !pager.with(Pager::has_next)
                    on:click=move |_| { pager.update(|p| { p.go_next(); }); }>"Next →"</button>
            </nav>
        </Show>
    }
}
