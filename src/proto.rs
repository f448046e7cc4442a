//! Messages and clients generated from proto/ (package `xai_api`) by build.rs.
#![allow(clippy::all, missing_docs)]

tonic::include_proto!("xai_api");
