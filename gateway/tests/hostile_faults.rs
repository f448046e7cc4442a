//! The hostile answers of the fault injection (`--enable-faults`, `x-fault`), as a browser's
//! fetch receives them over HTTP/1.1: each is exactly the broken answer it names, and only it.
mod common;

use std::time::Duration;

use bytes::{Buf, Bytes};
use common::{
    grpc_web::{frame, grpc_web_post, parse_frames, GRPC_WEB},
    http1_request, TestGateway,
};
use http_body_util::BodyExt as _;
use xai_gateway::proto::ListModelsRequest;

const LIST_MODELS: &str = "/xai_api.Models/ListModels";
const CHAT_STREAM: &str = "/xai_api.Chat/CreateChatCompletionStream";

async fn call(gateway: &TestGateway, path: &str, fault: &str) -> (http::response::Parts, Vec<u8>) {
    let body = if path == CHAT_STREAM { frame(&common::chat_request("grok-4", "Tell me a story")) } else { frame(&ListModelsRequest {}) };
    // A key only where the answer quotes it: the local backend refuses unknown keys.
    let mut headers = vec![("x-fault", fault)];
    if fault == "hostile-message" {
        headers.push(("authorization", "Bearer xai-hostile-test-key-0123456789"));
    }
    let request = grpc_web_post(gateway.gateway.addr, path, body, &headers);
    let (head, chunks, _) = http1_request(gateway.gateway.addr, request).await;
    (head, chunks.concat())
}

/// The frames of a body that may be broken: (flag, announced length, bytes present).
fn raw_frames(mut body: &[u8]) -> Vec<(u8, u32, usize)> {
    let mut frames = Vec::new();
    while body.len() >= 5 {
        let (flag, length) = (body[0], (&body[1..5]).get_u32());
        let present = (length as usize).min(body.len() - 5);
        frames.push((flag, length, present));
        body = &body[5 + present..];
    }
    frames
}

#[tokio::test]
async fn html_error_is_a_proxy_error_page() {
    let gateway = TestGateway::start(&["--enable-faults"]).await;
    let (head, body) = call(&gateway, LIST_MODELS, "html-error=502").await;
    assert_eq!(head.status, 502);
    assert!(head.headers["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(head.headers.get("grpc-status").is_none());
    assert!(String::from_utf8(body).unwrap().contains("<h1>502 Bad Gateway</h1>"));
    gateway.stop().await;
}

#[tokio::test]
async fn content_type_and_empty_200_keep_http_200_but_break_the_protocol() {
    let gateway = TestGateway::start(&["--enable-faults"]).await;
    let (head, body) = call(&gateway, LIST_MODELS, "content-type=text/plain").await;
    assert_eq!(head.status, 200);
    assert_eq!(head.headers["content-type"], "text/plain");
    let (messages, trailer) = parse_frames(&body);
    assert_eq!(messages.len(), 1, "the real answer under the wrong label");
    assert!(trailer.unwrap().contains("grpc-status:0"));

    let (head, body) = call(&gateway, LIST_MODELS, "empty-200").await;
    assert_eq!(head.status, 200);
    assert_eq!(head.headers["content-type"], GRPC_WEB);
    assert!(head.headers.get("grpc-status").is_none());
    assert!(body.is_empty());
    gateway.stop().await;
}

#[tokio::test]
async fn garbage_and_short_frames_replace_the_rest_of_the_answer() {
    let gateway = TestGateway::start(&["--enable-faults"]).await;
    let (_, body) = call(&gateway, LIST_MODELS, "garbage-frame=0").await;
    assert_eq!(raw_frames(&body), [(0x42, 3, 3)], "one frame with a bad flag byte, no trailers");

    let (_, body) = call(&gateway, CHAT_STREAM, "garbage-frame=2").await;
    let frames = raw_frames(&body);
    assert_eq!(frames.len(), 3, "{frames:?}");
    assert!(frames[..2].iter().all(|(flag, length, present)| *flag == 0 && *length as usize == *present));
    assert_eq!(frames[2].0, 0x42);

    let (_, body) = call(&gateway, LIST_MODELS, "short-frame=0").await;
    assert_eq!(raw_frames(&body), [(0, 1 << 20, 10)], "1 MiB announced, 10 bytes sent, then the end");
    gateway.stop().await;
}

#[tokio::test]
async fn huge_length_announces_4_gib_and_then_stays_silent() {
    let gateway = TestGateway::start(&["--enable-faults"]).await;
    let request = grpc_web_post(gateway.gateway.addr, LIST_MODELS, frame(&ListModelsRequest {}), &[("x-fault", "huge-length=0")]);
    let stream = tokio::net::TcpStream::connect(gateway.gateway.addr).await.unwrap();
    let (mut sender, connection) = hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await.unwrap();
    tokio::spawn(connection);
    let response = sender.send_request(request).await.unwrap();
    let mut body = response.into_body();
    let first: Bytes = body.frame().await.unwrap().unwrap().into_data().unwrap();
    assert_eq!(&first[..5], &[0, 0xff, 0xff, 0xff, 0xff]);
    assert_eq!(first.len(), 5 + 16);
    assert!(tokio::time::timeout(Duration::from_millis(300), body.frame()).await.is_err(), "nothing more, and no end");
    gateway.stop().await;
}

#[tokio::test]
async fn trailer_faults_change_only_the_trailer_frame() {
    let gateway = TestGateway::start(&["--enable-faults"]).await;
    let (_, body) = call(&gateway, CHAT_STREAM, "no-trailers").await;
    let frames = raw_frames(&body);
    assert!(frames.len() > 3 && frames.iter().all(|(flag, _, _)| *flag == 0), "the whole stream, no trailer frame: {frames:?}");

    let (_, body) = call(&gateway, LIST_MODELS, "bad-trailer").await;
    let (messages, _) = parse_frames(&body[..5 + (&body[1..5]).get_u32() as usize]);
    assert_eq!(messages.len(), 1);
    let trailer = &body[5 + messages[0].len()..];
    assert_eq!(trailer[0], 0x80);
    assert!(trailer[5] == 0 && !String::from_utf8_lossy(&trailer[5..]).contains("grpc-status"), "not a header block: {trailer:?}");

    let (head, body) = call(&gateway, LIST_MODELS, "status=invalid_argument,details-bin=garbage").await;
    assert!(head.headers.get("grpc-status").is_none());
    let (_, trailer) = parse_frames(&body);
    let trailer = trailer.unwrap();
    assert!(trailer.contains("grpc-status:3") && trailer.contains("grpc-status-details-bin:!!not*base64!!"), "{trailer}");

    let (head, _) = call(&gateway, LIST_MODELS, "trailers-only=unavailable,details-bin=garbage").await;
    assert_eq!(head.headers["grpc-status"], "14");
    assert_eq!(head.headers["grpc-status-details-bin"], "!!not*base64!!");
    gateway.stop().await;
}

#[tokio::test]
async fn hostile_message_quotes_the_callers_key_in_html() {
    let gateway = TestGateway::start(&["--enable-faults"]).await;
    let (head, body) = call(&gateway, LIST_MODELS, "hostile-message").await;
    assert_eq!(head.status, 200);
    let (messages, trailer) = parse_frames(&body);
    assert!(messages.is_empty());
    let trailer = trailer.unwrap();
    assert!(trailer.contains("grpc-status:16"), "{trailer}");
    assert!(trailer.contains("<h1>Unauthorized</h1>") && trailer.contains("xai-hostile-test-key-0123456789"), "{trailer}");
    gateway.stop().await;
}

#[tokio::test]
async fn hostile_answers_need_enable_faults_and_a_valid_spec() {
    let gateway = TestGateway::start(&[]).await;
    let (head, body) = call(&gateway, LIST_MODELS, "html-error=502").await;
    assert_eq!(head.status, 200);
    assert_eq!(parse_frames(&body).0.len(), 1, "without --enable-faults the header is ignored");
    gateway.stop().await;

    let gateway = TestGateway::start(&["--enable-faults"]).await;
    let (head, _) = call(&gateway, LIST_MODELS, "huge-length=many").await;
    assert_eq!(head.headers["grpc-status"], "3", "a spec that does not parse is INVALID_ARGUMENT");
    gateway.stop().await;
}
