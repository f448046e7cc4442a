//! xai-gateway: serves the xai-web app, gRPC and gRPC-Web on one port, in front of a backend
//! (the deterministic `local` one for now; an upstream `xai` one later).
//!
//! The library target exists so that integration tests can run the whole gateway in-process
//! (see [`server::start`]).

pub mod backend;
pub mod config;
pub mod exposure;
pub mod http;
pub mod metrics;
pub mod server;
pub mod services;
pub mod store;

/// Code generated from `proto/xai_api/*.proto` (servers for the gateway, clients for tests).
pub mod proto {
    #![allow(clippy::all, missing_docs)]
    tonic::include_proto!("xai_api");
}

pub use config::Args;
pub use server::{start, RunningGateway};
