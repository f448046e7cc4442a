//! xai-web: a Leptos single-page app that calls the xAI gRPC services over gRPC-Web.
//!
//! Logic that does not need a browser (error mapping, endpoint rules, price maths, stream
//! accumulation) lives in plain modules covered by `cargo test`; components stay thin.

pub mod api;
pub mod app;
pub mod batches;
pub mod chat;
pub mod components;
pub mod deploy;
pub mod error;
pub mod format;
pub mod image_type;
pub mod images;
pub mod keys;
pub mod markdown;
pub mod models;
// The widget's build has the chat alone.
#[cfg(not(feature = "widget"))]
pub mod pages;
pub mod panic_banner;
pub mod proto;
pub mod sample;
pub mod settings;
pub mod storage;
pub mod work;

/// Learns how the app is deployed (base path, config file, widget), then mounts it on <body>.
pub fn start() {
    #[cfg(target_arch = "wasm32")]
    panic_banner::install();
    wasm_bindgen_futures::spawn_local(async {
        let deployment = deploy::Deployment::detect().await;
        leptos::mount::mount_to_body(move || leptos::view! { <app::App deployment/> });
    });
}
