//! ‹ 2/3 ›: flips between the versions of an answer. The group is labelled "Version 2 of 3";
//! the arrows stay focusable at either end (marked aria-disabled rather than disabled, so the
//! keyboard's focus is not dropped), and Left/Right arrow keys flip too.
use leptos::prelude::*;

use crate::components::{Icon, IconSvg};

/// The version to show after a step of `by` from `number` (from 1) of `count`, if any.
pub fn step(number: usize, count: usize, by: isize) -> Option<usize> {
    let next = number.checked_add_signed(by)?;
    (1..=count).contains(&next).then_some(next)
}

/// The switcher; shown only when there is more than one version. `on_select` gets a number
/// from 1.
#[component]
pub fn VersionSwitcher(
    #[prop(into)] number: Signal<usize>,
    #[prop(into)] count: Signal<usize>,
    #[prop(into)] locked: Signal<bool>,
    #[prop(into)] on_select: Callback<usize>,
) -> impl IntoView {
    let go = move |by: isize| {
        if let Some(next) = step(number.get_untracked(), count.get_untracked(), by).filter(|_| !locked.get_untracked()) {
            on_select.run(next);
        }
    };
    let at_end = move |by: isize| locked.get() || step(number.get(), count.get(), by).is_none();
    view! {
        <Show when=move || { count.get() > 1 }>
            <div class="versions" role="group" aria-label=move || format!("Version {} of {}", number.get(), count.get())
                on:keydown=move |e| match e.key().as_str() {
                    "ArrowLeft" => { e.prevent_default(); go(-1); }
                    "ArrowRight" => { e.prevent_default(); go(1); }
                    _ => {}
                }>
                <button type="button" class="tool version-prev" aria-label="Previous version"
                    aria-disabled=move || at_end(-1).to_string() on:click=move |_| go(-1)>
                    <IconSvg icon=Icon::ChevronLeft/>
                </button>
                <span class="version-label" aria-hidden="true">{move || format!("{}/{}", number.get(), count.get())}</span>
                <button type="button" class="tool version-next" aria-label="Next version"
                    aria-disabled=move || at_end(1).to_string() on:click=move |_| go(1)>
                    <IconSvg icon=Icon::ChevronRight/>
                </button>
            </div>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::step;

    #[test]
    fn steps_stay_within_the_versions() {
        assert_eq!(step(2, 3, -1), Some(1));
        assert_eq!(step(2, 3, 1), Some(3));
        assert_eq!(step(1, 3, -1), None);
        assert_eq!(step(3, 3, 1), None);
        assert_eq!(step(1, 1, 1), None);
    }
}
