//! HTTP-level plumbing around the gRPC services: CORS, static files, the server-held key,
//! call logging and fault injection.

pub mod call_log;
pub mod cors;
pub mod faults;
pub mod server_key;
pub mod static_files;

/// The error type http bodies and services box their errors into.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;
