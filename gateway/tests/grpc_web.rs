//! gRPC-Web over plain HTTP/1.1, framed by hand, as a browser's fetch sends it; CORS; the
//! split-trailer fault; the static app.
mod common;

use bytes::Bytes;
use common::{
    grpc_web::{frame, grpc_web_post, parse_frames, GRPC_WEB},
    http1_request, TestGateway,
};
use http_body_util::Full;
use prost::Message as _;
use xai_gateway::proto::{ChatCompletionChunk, ChatCompletionRequest, ListModelsRequest, ListModelsResponse};

#[tokio::test]
async fn unary_call_over_http1() {
    let gateway = TestGateway::start(&[]).await;
    let request = grpc_web_post(gateway.gateway.addr, "/xai_api.Models/ListModels", frame(&ListModelsRequest {}), &[]);
    let (head, chunks, _) = http1_request(gateway.gateway.addr, request).await;
    assert_eq!(head.version, http::Version::HTTP_11);
    assert_eq!(head.status, 200);
    assert_eq!(head.headers["content-type"], GRPC_WEB);
    let (messages, trailer) = parse_frames(&chunks.concat());
    assert_eq!(messages.len(), 1);
    let models = ListModelsResponse::decode(messages[0].as_slice()).unwrap();
    assert!(models.models.iter().any(|model| model.name == "grok-4"));
    assert!(trailer.unwrap().contains("grpc-status:0"));
    gateway.stop().await;
}

#[tokio::test]
async fn server_stream_over_http1() {
    let gateway = TestGateway::start(&[]).await;
    let request = ChatCompletionRequest { model: "grok-3".into(), messages: vec![common::user_message("hello")], ..Default::default() };
    let http_request = grpc_web_post(gateway.gateway.addr, "/xai_api.Chat/CreateChatCompletionStream", frame(&request), &[]);
    let (_, chunks, _) = http1_request(gateway.gateway.addr, http_request).await;
    let (messages, trailer) = parse_frames(&chunks.concat());
    assert!(messages.len() > 10);
    let content: String = messages
        .iter()
        .map(|payload| ChatCompletionChunk::decode(payload.as_slice()).unwrap())
        .map(|chunk| chunk.choices[0].delta.clone().unwrap().content)
        .collect();
    assert!(content.contains("```"));
    assert!(trailer.unwrap().contains("grpc-status:0"));
    gateway.stop().await;
}

#[tokio::test]
async fn auth_failure_is_trailers_only() {
    let gateway = TestGateway::start(&["--no-server-key"]).await;
    let request = grpc_web_post(gateway.gateway.addr, "/xai_api.Models/ListModels", frame(&ListModelsRequest {}), &[]);
    let (head, chunks, _) = http1_request(gateway.gateway.addr, request).await;
    assert_eq!(head.status, 200);
    assert_eq!(head.headers["grpc-status"], "16");
    assert!(head.headers["grpc-message"].to_str().unwrap().contains("missing"));
    assert!(chunks.concat().is_empty(), "no body");
    gateway.stop().await;
}

fn preflight(gateway: &TestGateway, origin: &str) -> http::Request<Full<Bytes>> {
    http::Request::options("/xai_api.Chat/CreateChatCompletion")
        .header("host", gateway.gateway.addr.to_string())
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type,x-grpc-web,authorization,x-fault")
        .body(Full::new(Bytes::new()))
        .unwrap()
}

#[tokio::test]
async fn cors_allows_only_listed_origins() {
    let gateway = TestGateway::start(&["--cors-origin", "http://localhost:3000"]).await;
    let (head, _, _) = http1_request(gateway.gateway.addr, preflight(&gateway, "http://localhost:3000")).await;
    assert!(head.status.is_success());
    assert_eq!(head.headers["access-control-allow-origin"], "http://localhost:3000");
    let allowed = head.headers["access-control-allow-headers"].to_str().unwrap().to_string();
    for header in ["content-type", "x-grpc-web", "x-user-agent", "grpc-timeout", "authorization", "x-fault"] {
        assert!(allowed.contains(header), "{header} in {allowed}");
    }
    let (head, _, _) = http1_request(gateway.gateway.addr, preflight(&gateway, "http://evil.example")).await;
    assert!(head.headers.get("access-control-allow-origin").is_none());

    let request = grpc_web_post(
        gateway.gateway.addr,
        "/xai_api.Models/ListModels",
        frame(&ListModelsRequest {}),
        &[("origin", "http://localhost:3000")],
    );
    let (head, _, _) = http1_request(gateway.gateway.addr, request).await;
    let exposed = head.headers["access-control-expose-headers"].to_str().unwrap();
    assert!(exposed.contains("grpc-status") && exposed.contains("grpc-message") && exposed.contains("grpc-status-details-bin"));
    gateway.stop().await;
}

#[tokio::test]
async fn split_trailer_fault_splits_the_trailer_frame() {
    let gateway = TestGateway::start(&["--enable-faults"]).await;
    let request =
        grpc_web_post(gateway.gateway.addr, "/xai_api.Models/ListModels", frame(&ListModelsRequest {}), &[("x-fault", "split-trailer")]);
    let (_, chunks, _) = http1_request(gateway.gateway.addr, request).await;
    let body = chunks.concat();
    let (messages, trailer) = parse_frames(&body);
    assert_eq!(messages.len(), 1);
    assert!(trailer.as_deref().unwrap().contains("grpc-status:0"));
    // Where the trailer frame starts, and whether a chunk boundary falls inside it.
    let trailer_start = 5 + messages[0].len();
    assert_eq!(body[trailer_start], 0x80);
    let mut boundaries = chunks.iter().scan(0, |offset, chunk| {
        *offset += chunk.len();
        Some(*offset)
    });
    assert!(
        boundaries.any(|boundary| boundary > trailer_start && boundary < body.len()),
        "chunks: {:?}",
        chunks.iter().map(Bytes::len).collect::<Vec<_>>()
    );
    gateway.stop().await;
}

#[tokio::test]
async fn status_fault_reaches_grpc_web_clients_in_the_trailer_frame() {
    let gateway = TestGateway::start(&["--enable-faults"]).await;
    let request = grpc_web_post(
        gateway.gateway.addr,
        "/xai_api.Models/ListModels",
        frame(&ListModelsRequest {}),
        &[("x-fault", "status=permission_denied")],
    );
    let (_, chunks, _) = http1_request(gateway.gateway.addr, request).await;
    let (messages, trailer) = parse_frames(&chunks.concat());
    assert!(messages.is_empty());
    let trailer = trailer.expect("a trailer frame");
    assert!(trailer.contains("grpc-status:7"), "{trailer}");
    assert!(trailer.contains("injected"), "{trailer}");
    gateway.stop().await;
}

#[tokio::test]
async fn static_app_with_spa_fallback() {
    let gateway = TestGateway::start(&[]).await;
    for path in ["/", "/index.html", "/chat/some/deep/route"] {
        let (status, content_type, body) = common::http_get(gateway.gateway.addr, path).await;
        assert_eq!(status, 200, "{path}");
        assert!(content_type.starts_with("text/html"), "{path}: {content_type}");
        assert!(String::from_utf8(body).unwrap().contains("xai-web"));
    }
    let (status, _, _) = common::http_get(gateway.gateway.addr, "/images/nope.png").await;
    assert_eq!(status, 404);
    gateway.stop().await;
}
