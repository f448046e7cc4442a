//! Generates the app's gRPC client code from proto/ with protox (a pure-Rust parser, so no
//! protoc is needed). The app only ever calls the services, so no server code is generated.
use std::{env, fs, path::PathBuf};

use protox::prost::Message as _;

fn main() {
    let protos: Vec<PathBuf> = fs::read_dir("proto/xai_api")
        .expect("proto/xai_api exists")
        .map(|entry| entry.expect("readable proto dir").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "proto"))
        .collect();
    let descriptors = protox::compile(&protos, ["proto"]).expect("proto/ compiles");
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let descriptor_path = out.join("xai_api_descriptor.bin");
    fs::write(&descriptor_path, descriptors.encode_to_vec()).expect("descriptor written");
    tonic_prost_build::configure().build_server(false).build_transport(false).compile_fds(descriptors).expect("client code generated");
    println!("cargo:rerun-if-changed=proto");
}
