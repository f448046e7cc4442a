//! Runs a gateway in-process for the integration tests.
#![allow(dead_code)]

pub mod grpc_web;

use std::path::{Path, PathBuf};

use clap::Parser as _;
use tonic::{metadata::MetadataValue, transport::Channel, Request};
use xai_gateway::{Args, RunningGateway};

pub struct TestGateway {
    pub gateway: RunningGateway,
    pub data_dir: PathBuf,
    /// Keeps the temporary data dir alive (None when the caller owns the dir).
    _temp: Option<tempfile::TempDir>,
}

impl TestGateway {
    /// A gateway on 127.0.0.1:0 with a fresh data dir, stream-rate 0 and `extra` flags.
    pub async fn start(extra: &[&str]) -> Self {
        let temp = tempfile::tempdir().expect("temp dir");
        let data_dir = temp.path().to_path_buf();
        let mut gateway = Self::start_in(&data_dir, extra).await;
        gateway._temp = Some(temp);
        gateway
    }

    /// A gateway on an existing data dir (for restart tests).
    pub async fn start_in(data_dir: &Path, extra: &[&str]) -> Self {
        let data = data_dir.to_str().expect("utf-8 temp path").to_string();
        let static_dir = data_dir.join("dist");
        std::fs::create_dir_all(&static_dir).expect("static dir");
        std::fs::write(static_dir.join("index.html"), "<!doctype html><title>xai-web</title>").expect("index.html");
        let static_dir = static_dir.to_str().expect("utf-8").to_string();
        let mut argv = vec![
            "xai-gateway",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            &data,
            "--static-dir",
            &static_dir,
            "--stream-rate",
            "0",
            "--batch-interval-ms",
            "20",
        ];
        argv.extend_from_slice(extra);
        let args = Args::try_parse_from(argv).expect("valid flags");
        let gateway = xai_gateway::start(&args).await.expect("gateway starts");
        Self { gateway, data_dir: data_dir.to_path_buf(), _temp: None }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.gateway.addr)
    }

    pub async fn channel(&self) -> Channel {
        Channel::from_shared(self.url()).expect("url").connect().await.expect("connects")
    }

    pub fn server_key(&self) -> String {
        std::fs::read_to_string(self.data_dir.join("server-key")).expect("server key file").trim().to_string()
    }

    pub async fn stop(self) {
        self.gateway.shutdown().await;
    }
}

/// `message` with `authorization: Bearer <key>`.
pub fn with_key<T>(message: T, key: &str) -> Request<T> {
    let mut request = Request::new(message);
    let value: MetadataValue<_> = format!("Bearer {key}").parse().expect("ascii key");
    request.metadata_mut().insert("authorization", value);
    request
}

/// `message` with `x-fault: <spec>`.
pub fn with_fault<T>(message: T, spec: &str) -> Request<T> {
    let mut request = Request::new(message);
    request.metadata_mut().insert("x-fault", spec.parse().expect("ascii spec"));
    request
}

pub fn user_message(text: &str) -> xai_gateway::proto::Message {
    xai_gateway::proto::Message { role: "user".into(), content: text.into(), ..Default::default() }
}

/// A chat request of one user message to `model`, everything else default.
pub fn chat_request(model: &str, question: &str) -> xai_gateway::proto::ChatCompletionRequest {
    xai_gateway::proto::ChatCompletionRequest { model: model.into(), messages: vec![user_message(question)], ..Default::default() }
}

/// Sends one HTTP/1.1 request over a fresh connection; returns the response head, the body
/// as the chunks it arrived in, and the trailers if any.
pub async fn http1_request(
    addr: std::net::SocketAddr,
    request: http::Request<http_body_util::Full<bytes::Bytes>>,
) -> (http::response::Parts, Vec<bytes::Bytes>, Option<http::HeaderMap>) {
    use http_body_util::BodyExt as _;
    let stream = tokio::net::TcpStream::connect(addr).await.expect("connects");
    let (mut sender, connection) = hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await.expect("handshake");
    tokio::spawn(connection);
    let response = sender.send_request(request).await.expect("response");
    let (parts, mut body) = response.into_parts();
    let mut chunks = Vec::new();
    let mut trailers = None;
    while let Some(frame) = body.frame().await {
        let frame = frame.expect("body frame");
        match frame.into_data() {
            Ok(data) => chunks.push(data),
            Err(frame) => trailers = frame.into_trailers().ok(),
        }
    }
    (parts, chunks, trailers)
}

/// GET `path` over HTTP/1.1: (status, content-type, body).
pub async fn http_get(addr: std::net::SocketAddr, path: &str) -> (http::StatusCode, String, Vec<u8>) {
    let request =
        http::Request::get(path).header("host", addr.to_string()).body(http_body_util::Full::new(bytes::Bytes::new())).expect("request");
    let (parts, chunks, _) = http1_request(addr, request).await;
    let content_type = parts.headers.get("content-type").map(|value| value.to_str().unwrap_or("").to_string()).unwrap_or_default();
    (parts.status, content_type, chunks.concat())
}
