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
pub mod proto;
pub mod sample;
pub mod settings;
pub mod storage;
pub mod work;

/// Learns how the app is deployed (base path, config file, widget), then mounts it on <body>.
pub fn start() {
    // Panic messages to the console, in the builds that keep them (the release wasm's std aborts
    // at once, without a message). The banner that tells the user is index.html's: every panic
    // ends in a wasm trap, and a trapped app cannot be trusted to draw it.
    #[cfg(target_arch = "wasm32")]
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        let deployment = deploy::Deployment::detect().await;
        leptos::mount::mount_to_body(move || leptos::view! { <app::App deployment/> });
    });
}
