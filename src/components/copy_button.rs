//! A Copy button that says what happened: "Copied" (with a check) once the text is on the
//! clipboard, "Copy failed" when the browser refused, then back to "Copy". The outcome is also
//! announced to screen readers through a polite live region.
use leptos::{prelude::*, task::spawn_local};

use super::{
    file_io::write_clipboard,
    icon::{Icon, IconSvg},
};

/// How long the outcome stays on the button.
const FEEDBACK_MS: u32 = 2_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Ready,
    Copied,
    Failed,
}

/// A toolbar button copying `text` (read when clicked). `what` names it for screen readers,
/// e.g. "Copy answer".
#[component]
pub fn CopyButton(#[prop(into)] text: Signal<String>, what: &'static str) -> impl IntoView {
    let outcome = RwSignal::new(Outcome::Ready);
    // Each click owns the feedback until the next one: an older timer does not reset a newer one.
    let clicks = StoredValue::new(0_u32);
    let copy = move |_| {
        let text = text.get_untracked();
        clicks.update_value(|n| *n += 1);
        let click = clicks.get_value();
        spawn_local(async move {
            let copied = write_clipboard(&text).await;
            outcome.try_set(if copied { Outcome::Copied } else { Outcome::Failed });
            gloo_timers::future::TimeoutFuture::new(FEEDBACK_MS).await;
            if clicks.try_get_value() == Some(click) {
                outcome.try_set(Outcome::Ready);
            }
        });
    };
    let label = move || match outcome.get() {
        Outcome::Ready => "Copy",
        Outcome::Copied => "Copied",
        Outcome::Failed => "Copy failed",
    };
    view! {
        <button type="button" class="tool copy" aria-label=move || if outcome.get() == Outcome::Ready { what } else { label() }
            data-outcome=move || format!("{:?}", outcome.get()).to_lowercase() on:click=copy>
            {move || view! { <IconSvg icon=if outcome.get() == Outcome::Copied { Icon::Check } else { Icon::Copy }/> }}
            <span class="tool-label">{label}</span>
        </button>
        <span class="visually-hidden" aria-live="polite">
            {move || match outcome.get() {
                Outcome::Ready => "",
                Outcome::Copied => "Copied to the clipboard",
                Outcome::Failed => "The browser did not allow copying",
            }}
        </span>
    }
}
