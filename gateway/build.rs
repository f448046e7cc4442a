//! Generates gRPC code with protox (a pure-Rust parser, so no protoc is needed):
//! - from ../proto (the service reference): the gateway's servers, and clients for the tests;
//! - from proto/upstream (the real api.x.ai wire, also package `xai_api`): clients for the
//!   `xai` backend, and servers for the tests' fake upstream. Both packages are `xai_api`, so
//!   the upstream code goes to its own directory, `$OUT_DIR/upstream`.
use std::{
    fs,
    path::{Path, PathBuf},
};

fn protos_in(dir: &Path) -> Vec<PathBuf> {
    println!("cargo:rerun-if-changed={}", dir.display());
    let protos: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("{} is readable: {error}", dir.display()))
        .map(|entry| entry.expect("readable proto dir").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "proto"))
        .collect();
    for proto in &protos {
        println!("cargo:rerun-if-changed={}", proto.display());
    }
    protos
}

fn generate(root: &Path, out_dir: Option<PathBuf>) {
    let protos = protos_in(&root.join("xai_api"));
    let descriptors = protox::compile(&protos, [root]).expect("protos compile");
    let mut builder = tonic_prost_build::configure().build_server(true).build_client(true);
    if let Some(out_dir) = out_dir {
        fs::create_dir_all(&out_dir).expect("upstream out dir");
        builder = builder.out_dir(out_dir);
    }
    builder.compile_fds(descriptors).expect("gRPC code generated");
}

fn main() {
    generate(Path::new("../proto"), None);
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    generate(Path::new("proto/upstream"), Some(out_dir.join("upstream")));
}
