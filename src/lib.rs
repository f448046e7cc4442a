//! xai-web: a Leptos single-page app that calls the xAI gRPC services over gRPC-Web.
//!
//! Logic that does not need a browser (error mapping, endpoint rules, price maths, stream
//! accumulation) lives in plain modules covered by `cargo test`; components stay thin.

pub mod api;
pub mod app;
pub mod batches;
pub mod chat;
pub mod components;
pub mod error;
pub mod format;
pub mod images;
pub mod keys;
pub mod models;
pub mod proto;
pub mod sample;
pub mod settings;

/// Mounts the app on the page's <body>.
pub fn start() {
    #[cfg(target_arch = "wasm32")]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
