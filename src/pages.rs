//! The console's pages other than the chat, loaded when one of them is first opened: `wasm_split`
//! puts their code (and what only they use) in a wasm file of its own, which the split step of
//! the build (tools/wasm-bindgen/src/split.rs) cuts off the main module. The chat, the page most
//! visits start on, stays in the main module: its first load downloads none of the other pages.
//!
//! One file for all of them rather than one per page: the service worker stores every file of
//! the build on the first visit anyway, and the pages' code compresses far better together (one
//! file per page, with the code they share in further files, came to 33 files and about 50 K of
//! brotli more).
use leptos::{prelude::*, wasm_split::SplitLoaderError};

use crate::{
    batches::{BatchDetailPage, BatchesPage},
    components::on_demand,
    images::ImagesPage,
    keys::KeysPage,
    models::{ModelDetailPage, ModelsPage},
    sample::SamplePage,
    settings::SettingsPage,
};

/// A page loaded on demand.
#[derive(Clone, Copy)]
enum Page {
    Images,
    Models,
    ModelDetail,
    Batches,
    BatchDetail,
    Keys,
    Sample,
    Settings,
}

// `wasm_split` itself rather than Leptos's `#[lazy]`, for `fallible`: a download that fails (no
// connection, a server gone) is an `Err` to show, where `#[lazy]` would panic and stop the app.
#[leptos::wasm_split::wasm_split(pages, wasm_split_path = ::leptos::wasm_split, fallible)]
fn page_view(page: Page) -> Result<AnyView, SplitLoaderError> {
    Ok(match page {
        Page::Images => view! { <ImagesPage/> }.into_any(),
        Page::Models => view! { <ModelsPage/> }.into_any(),
        Page::ModelDetail => view! { <ModelDetailPage/> }.into_any(),
        Page::Batches => view! { <BatchesPage/> }.into_any(),
        Page::BatchDetail => view! { <BatchDetailPage/> }.into_any(),
        Page::Keys => view! { <KeysPage/> }.into_any(),
        Page::Sample => view! { <SamplePage/> }.into_any(),
        Page::Settings => view! { <SettingsPage/> }.into_any(),
    })
}

/// `page`, once its code is there (a fraction of a second; the page's own loading states follow).
fn on_demand_page(page: Page) -> impl IntoView {
    on_demand("This page", move || page_view(page))
}

/// /images
pub fn images_page() -> impl IntoView {
    on_demand_page(Page::Images)
}

/// /models
pub fn models_page() -> impl IntoView {
    on_demand_page(Page::Models)
}

/// /models/:name
pub fn model_detail_page() -> impl IntoView {
    on_demand_page(Page::ModelDetail)
}

/// /batches
pub fn batches_page() -> impl IntoView {
    on_demand_page(Page::Batches)
}

/// /batches/:id
pub fn batch_detail_page() -> impl IntoView {
    on_demand_page(Page::BatchDetail)
}

/// /keys
pub fn keys_page() -> impl IntoView {
    on_demand_page(Page::Keys)
}

/// /sample
pub fn sample_page() -> impl IntoView {
    on_demand_page(Page::Sample)
}

/// /settings
pub fn settings_page() -> impl IntoView {
    on_demand_page(Page::Settings)
}
