//! An upstream that breaks the gRPC rules: undecodable messages, a grpc-status that is not a
//! number, grpc-status-details-bin that is not base64, a stream that turns to garbage. The
//! gateway must answer each with a clean status and keep serving.
#![allow(dead_code)]

use std::{convert::Infallible, net::SocketAddr};

use axum::{body::Body, routing::post, Router};
use bytes::Bytes;
use http::{HeaderMap, Response};
use http_body::Frame;
use http_body_util::StreamBody;
use tokio::net::TcpListener;
use tonic::{service::Routes, transport::server::TcpIncoming};

fn grpc_frame(payload: &[u8]) -> Bytes {
    let mut framed = vec![0u8];
    framed.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    framed.extend_from_slice(payload);
    framed.into()
}

fn trailers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
    pairs.iter().map(|(name, value)| (http::HeaderName::from_static(name), http::HeaderValue::from_static(value))).collect()
}

/// A 200 gRPC response whose body is `data` frames followed by `trailer_pairs`.
fn grpc_response(data: Vec<Bytes>, trailer_pairs: &[(&'static str, &'static str)]) -> Response<Body> {
    let mut frames: Vec<Result<Frame<Bytes>, Infallible>> = data.into_iter().map(|bytes| Ok(Frame::data(bytes))).collect();
    frames.push(Ok(Frame::trailers(trailers(trailer_pairs))));
    Response::builder()
        .header("content-type", "application/grpc")
        .body(Body::new(StreamBody::new(futures_util::stream::iter(frames))))
        .expect("response")
}

/// A trailers-only response: the status sits in the headers, no body.
fn trailers_only(pairs: &[(&'static str, &'static str)]) -> Response<Body> {
    let mut builder = Response::builder().header("content-type", "application/grpc");
    for (name, value) in pairs {
        builder = builder.header(*name, *value);
    }
    builder.body(Body::empty()).expect("response")
}

pub struct GarbageUpstream {
    pub addr: SocketAddr,
    server: tokio::task::JoinHandle<()>,
}

impl GarbageUpstream {
    pub async fn start() -> Self {
        let router = Router::new()
            // Not protobuf: field 31 with the invalid wire type 7.
            .route("/xai_api.Chat/GetCompletion", post(|| async { grpc_response(vec![grpc_frame(&[0xff; 12])], &[("grpc-status", "0")]) }))
            // A grpc-status that is no number and a message that is no UTF-8.
            .route(
                "/xai_api.Models/ListLanguageModels",
                post(|| async { trailers_only(&[("grpc-status", "banana"), ("grpc-message", "%FF%FEbroken")]) }),
            )
            // A real code with details that are not base64 (tonic 0.14.9 would panic on them).
            .route(
                "/xai_api.Auth/get_api_key_info",
                post(|| async {
                    trailers_only(&[("grpc-status", "8"), ("grpc-message", "slow down"), ("grpc-status-details-bin", "%%%not-base64%%%")])
                }),
            )
            // The same in the trailers of a stream, after one good message.
            .route(
                "/xai_api.Sample/SampleTextStreaming",
                post(|| async {
                    let good = xai_gateway::upstream_proto::SampleTextResponse { id: "ok".into(), ..Default::default() };
                    let payload = prost::Message::encode_to_vec(&good);
                    grpc_response(vec![grpc_frame(&payload)], &[("grpc-status", "14"), ("grpc-status-details-bin", "***")])
                }),
            )
            // A good message, then a frame header announcing more bytes than ever come.
            .route(
                "/xai_api.Chat/GetCompletionChunk",
                post(|| async {
                    let good = xai_gateway::upstream_proto::GetChatCompletionChunk { id: "ok".into(), ..Default::default() };
                    let payload = prost::Message::encode_to_vec(&good);
                    let truncated = Bytes::from_static(&[0, 0, 0, 0x10, 0x00, 1, 2, 3]);
                    grpc_response(vec![grpc_frame(&payload), truncated], &[("grpc-status", "0")])
                }),
            )
            // Not gRPC at all: an HTML error page from a proxy.
            .route(
                "/xai_api.Sample/SampleText",
                post(|| async {
                    Response::builder()
                        .status(502)
                        .header("content-type", "text/html")
                        .body(Body::from("<html>bad gateway</html>"))
                        .unwrap()
                }),
            );
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let server = tokio::spawn(async move {
            tonic::transport::Server::builder()
                .add_routes(Routes::from(router))
                .serve_with_incoming(TcpIncoming::from(listener))
                .await
                .expect("garbage upstream serves");
        });
        Self { addr, server }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for GarbageUpstream {
    fn drop(&mut self) {
        self.server.abort();
    }
}
