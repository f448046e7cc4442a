//! xai-gateway: serves the xai-web app, gRPC and gRPC-Web on one port, in front of a backend
//! (the deterministic `local` one, or `xai`: the real api.x.ai over TLS gRPC).
//!
//! The library target exists so that integration tests can run the whole gateway in-process
//! (see [`server::start`]).

pub mod admin;
pub mod backend;
pub mod config;
pub mod error_id;
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

/// Code generated from `gateway/proto/upstream/xai_api/*.proto`: the real api.x.ai wire (also
/// package `xai_api`, hence its own module): clients for the `xai` backend, servers for tests.
pub mod upstream_proto {
    #![allow(clippy::all, missing_docs)]
    include!(concat!(env!("OUT_DIR"), "/upstream/xai_api.rs"));
}

pub use config::Args;
pub use server::{start, RunningGateway};
