//! The console's pages other than the chat, each loaded when it is first opened: `#[lazy]` puts
//! a page's code (and what only it uses) in its own wasm file, which the split step of the build
//! (tools/wasm-bindgen/src/split.rs) cuts off the main module. The chat, the page most visits
//! start on, stays in the main module: its first load downloads none of the other pages.
//!
//! The pages with sub-routes (a model, a batch) share a file with their list page.
use leptos::prelude::*;

use crate::{
    batches::{BatchDetailPage, BatchesPage},
    images::ImagesPage,
    keys::KeysPage,
    models::{ModelDetailPage, ModelsPage},
    sample::SamplePage,
    settings::SettingsPage,
};

/// A page that is fetched on demand: nothing is shown until its code is there (a fraction of
/// a second; the page's own loading states follow), then the page.
fn on_demand<Fut>(page: Fut) -> impl IntoView
where
    Fut: std::future::Future<Output = AnyView> + 'static,
{
    // `#[lazy]` wrappers are not `Send` (the loader's state is a raw pointer); the app runs on
    // the browser's one thread.
    Suspend::new(send_wrapper::SendWrapper::new(page))
}

#[lazy]
fn images() -> AnyView {
    view! { <ImagesPage/> }.into_any()
}

#[lazy]
fn models(detail: bool) -> AnyView {
    match detail {
        true => view! { <ModelDetailPage/> }.into_any(),
        false => view! { <ModelsPage/> }.into_any(),
    }
}

#[lazy]
fn batches(detail: bool) -> AnyView {
    match detail {
        true => view! { <BatchDetailPage/> }.into_any(),
        false => view! { <BatchesPage/> }.into_any(),
    }
}

#[lazy]
fn keys() -> AnyView {
    view! { <KeysPage/> }.into_any()
}

#[lazy]
fn sample() -> AnyView {
    view! { <SamplePage/> }.into_any()
}

#[lazy]
fn settings() -> AnyView {
    view! { <SettingsPage/> }.into_any()
}

/// /images
pub fn images_page() -> impl IntoView {
    on_demand(images())
}

/// /models
pub fn models_page() -> impl IntoView {
    on_demand(models(false))
}

/// /models/:name
pub fn model_detail_page() -> impl IntoView {
    on_demand(models(true))
}

/// /batches
pub fn batches_page() -> impl IntoView {
    on_demand(batches(false))
}

/// /batches/:id
pub fn batch_detail_page() -> impl IntoView {
    on_demand(batches(true))
}

/// /keys
pub fn keys_page() -> impl IntoView {
    on_demand(keys())
}

/// /sample
pub fn sample_page() -> impl IntoView {
    on_demand(sample())
}

/// /settings
pub fn settings_page() -> impl IntoView {
    on_demand(settings())
}
