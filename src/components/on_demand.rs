//! Code loaded on demand: a `wasm_split` function's view, shown once its wasm file is there. The
//! build's split step (tools/wasm-bindgen/src/split.rs) cuts such functions, and what only they
//! use, off the main module, so the first load does not download them.
use std::future::Future;

use leptos::{prelude::*, wasm_split::SplitLoaderError};

/// The view `load` gives once its code is downloaded: nothing is shown until then. If the code
/// cannot be downloaded, says so (`what` could not be loaded) with Try again; a failed download
/// is not remembered, so the next attempt fetches afresh.
pub fn on_demand<Load, Loading>(what: &'static str, load: Load) -> impl IntoView
where
    Load: Fn() -> Loading + Clone + Send + Sync + 'static,
    Loading: Future<Output = Result<AnyView, SplitLoaderError>> + 'static,
{
    let attempt = RwSignal::new(0u32);
    move || {
        attempt.track();
        let load = load.clone();
        // The loader's future is not `Send` (its state holds a raw pointer); the app runs on
        // the browser's one thread.
        Suspend::new(send_wrapper::SendWrapper::new(async move {
            match load().await {
                Ok(view) => view,
                Err(_) => view! { <LoadFailed what retry=move || attempt.update(|n| *n += 1)/> }.into_any(),
            }
        }))
    }
}

/// "`what` could not be loaded", what to do, and Try again.
#[component]
fn LoadFailed(what: &'static str, #[prop(into)] retry: Callback<()>) -> impl IntoView {
    view! {
        <section class="error load-failed" role="alert">
            <strong class="error-title">{what} " could not be loaded"</strong>
            <p class="error-advice">
                "Its code did not download: check your connection, then try again. Nothing you saved is affected."
            </p>
            <button on:click=move |_| retry.run(())>"Try again"</button>
        </section>
    }
}
