//! Generates the gRPC server and client code from ../proto with protox (a pure-Rust parser, so
//! no protoc is needed). Clients are generated too: the integration tests call the gateway
//! through them.
use std::{fs, path::PathBuf};

fn main() {
    let proto_root = PathBuf::from("../proto");
    let protos: Vec<PathBuf> = fs::read_dir(proto_root.join("xai_api"))
        .expect("../proto/xai_api exists")
        .map(|entry| entry.expect("readable proto dir").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "proto"))
        .collect();
    for proto in &protos {
        println!("cargo:rerun-if-changed={}", proto.display());
    }
    println!("cargo:rerun-if-changed=../proto/xai_api");
    let descriptors = protox::compile(&protos, [&proto_root]).expect("protos compile");
    tonic_prost_build::configure()
        .build_server(true)
        .build_client(true)
        .compile_fds(descriptors)
        .expect("gRPC code generated");
}
