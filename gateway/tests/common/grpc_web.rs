//! gRPC-Web over plain HTTP/1.1, framed by hand as a browser's fetch sends it.
use std::net::SocketAddr;

use bytes::{Buf, Bytes};
use http_body_util::Full;

pub const GRPC_WEB: &str = "application/grpc-web+proto";

/// One length-prefixed data frame holding `message`.
pub fn frame(message: &impl prost::Message) -> Bytes {
    let payload = message.encode_to_vec();
    let mut framed = vec![0u8];
    framed.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    framed.extend_from_slice(&payload);
    framed.into()
}

/// Data frame payloads and the trailer frame's text.
pub fn parse_frames(mut body: &[u8]) -> (Vec<Vec<u8>>, Option<String>) {
    let (mut messages, mut trailer) = (Vec::new(), None);
    while body.len() >= 5 {
        let flag = body[0];
        let length = (&body[1..5]).get_u32() as usize;
        let payload = body[5..5 + length].to_vec();
        body = &body[5 + length..];
        if flag & 0x80 != 0 {
            trailer = Some(String::from_utf8(payload).expect("ascii trailers"));
        } else {
            messages.push(payload);
        }
    }
    assert!(body.is_empty(), "no partial frame left");
    (messages, trailer)
}

/// A gRPC-Web POST of `body` to `path` with the headers a browser client sends, plus `extra`.
pub fn grpc_web_post(addr: SocketAddr, path: &str, body: Bytes, extra: &[(&str, &str)]) -> http::Request<Full<Bytes>> {
    let mut builder = http::Request::post(path)
        .header("host", addr.to_string())
        .header("content-type", GRPC_WEB)
        .header("x-grpc-web", "1")
        .header("x-user-agent", "grpc-web-test");
    for (name, value) in extra {
        builder = builder.header(*name, *value);
    }
    builder.body(Full::new(body)).expect("request")
}

/// The gRPC status code of a gRPC-Web answer: from the headers (trailers-only) or the trailer
/// frame.
pub fn grpc_status(head: &http::response::Parts, body: &[u8]) -> Option<u32> {
    if let Some(code) = head.headers.get("grpc-status") {
        return code.to_str().ok()?.parse().ok();
    }
    let content_type = head.headers.get("content-type")?.as_bytes();
    if !content_type.starts_with(b"application/grpc-web") {
        return None;
    }
    let (_, trailer) = parse_frames(body);
    let trailer = trailer?;
    let line = trailer.lines().find_map(|line| line.trim().strip_prefix("grpc-status:"))?;
    line.trim().parse().ok()
}
