//! An exposed gateway: the origin allowlist, the RPC allowlist, the per-client rate limit and
//! open-call cap, the request size limit. Each refusal must keep the call from the backend and
//! leave other clients served.
mod common;

use std::{
    net::IpAddr,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::Duration,
};

use bytes::Bytes;
use common::{
    chat_request,
    grpc_web::{frame, grpc_status, grpc_web_post, GRPC_WEB},
    http1_request, TestGateway,
};
use http_body_util::{BodyExt as _, Full, StreamBody};
use tokio_stream::StreamExt as _;
use tonic::{transport::Endpoint, Code, Request};
use xai_gateway::proto::{
    auth_client::AuthClient, chat_client::ChatClient, models_client::ModelsClient, ChatCompletionRequest, CreateApiKeyRequest,
    GetLanguageModelRequest, ImageRequest, ListApiKeysRequest, ListModelsRequest,
};

fn question(text: &str) -> ChatCompletionRequest {
    chat_request("grok-3", text)
}

fn create_key(name: &str) -> Bytes {
    frame(&CreateApiKeyRequest { name: name.into(), acls: vec![] })
}

/// `grpc-message` as text (it travels percent-encoded).
fn grpc_message(headers: &http::HeaderMap) -> String {
    let raw = headers.get("grpc-message").map(|value| value.to_str().unwrap().to_string()).unwrap_or_default();
    let mut out = Vec::new();
    let mut bytes = raw.bytes();
    while let Some(byte) = bytes.next() {
        if byte == b'%' {
            let hex: String = bytes.by_ref().take(2).map(char::from).collect();
            out.push(u8::from_str_radix(&hex, 16).unwrap());
        } else {
            out.push(byte);
        }
    }
    String::from_utf8(out).unwrap()
}

async fn key_names(gateway: &TestGateway) -> Vec<String> {
    let keys = AuthClient::new(gateway.channel().await).list_api_keys(ListApiKeysRequest {}).await.unwrap().into_inner();
    keys.api_keys.into_iter().map(|key| key.name).collect()
}

/// A native gRPC call carrying `x-forwarded-for: client`.
fn from_client<T>(message: T, client: &str) -> Request<T> {
    let mut request = Request::new(message);
    request.metadata_mut().insert("x-forwarded-for", client.parse().unwrap());
    request
}

#[tokio::test]
async fn a_disallowed_origin_is_refused_before_the_service() {
    let gateway = TestGateway::start(&["--cors-origin", "http://localhost:3000"]).await;
    let addr = gateway.gateway.addr;
    let preflight = http::Request::options("/xai_api.Auth/CreateApiKey")
        .header("host", addr.to_string())
        .header("origin", "http://evil.example")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type,x-grpc-web")
        .body(Full::new(Bytes::new()))
        .unwrap();
    let (head, _, _) = http1_request(addr, preflight).await;
    assert_eq!(head.status, 403);
    assert!(head.headers.get("access-control-allow-origin").is_none());

    // The call itself, as a script outside a browser could send it: refused, key not created.
    let evil = grpc_web_post(addr, "/xai_api.Auth/CreateApiKey", create_key("from evil"), &[("origin", "http://evil.example")]);
    let (head, chunks, _) = http1_request(addr, evil).await;
    assert_eq!(grpc_status(&head, &chunks.concat()), Some(7));
    assert!(grpc_message(&head.headers).contains("http://evil.example"), "{:?}", head.headers);

    // The listed origin and the gateway's own origin are served.
    let listed = grpc_web_post(addr, "/xai_api.Auth/CreateApiKey", create_key("from localhost"), &[("origin", "http://localhost:3000")]);
    let (head, chunks, _) = http1_request(addr, listed).await;
    assert_eq!(grpc_status(&head, &chunks.concat()), Some(0));
    assert_eq!(head.headers["access-control-allow-origin"], "http://localhost:3000");
    assert!(head.headers["access-control-expose-headers"].to_str().unwrap().contains("retry-after"));
    let own_origin = format!("http://{addr}");
    let same = grpc_web_post(addr, "/xai_api.Auth/CreateApiKey", create_key("same origin"), &[("origin", &own_origin)]);
    let (head, chunks, _) = http1_request(addr, same).await;
    assert_eq!(grpc_status(&head, &chunks.concat()), Some(0));

    let names = key_names(&gateway).await;
    assert!(names.contains(&"from localhost".to_string()) && names.contains(&"same origin".to_string()), "{names:?}");
    assert!(!names.contains(&"from evil".to_string()), "{names:?}");
    gateway.stop().await;
}

#[tokio::test]
async fn only_allowed_rpcs_reach_the_backend() {
    let temp = tempfile::tempdir().unwrap();
    let allow = ["--allow-rpc", "Chat/CreateChatCompletionStream", "--allow-rpc", "xai_api.Models/*"];
    let gateway = TestGateway::start_in(temp.path(), &allow).await;
    let channel = gateway.channel().await;
    let mut stream = ChatClient::new(channel.clone()).create_chat_completion_stream(question("hi")).await.unwrap().into_inner();
    let mut chunks = 0;
    while let Some(chunk) = stream.next().await {
        chunk.unwrap();
        chunks += 1;
    }
    assert!(chunks > 3);
    let mut models = ModelsClient::new(channel.clone());
    models.list_models(ListModelsRequest {}).await.unwrap();
    models.get_language_model(GetLanguageModelRequest { name: "grok-4".into() }).await.unwrap();

    let denied = ChatClient::new(channel.clone()).create_chat_completion(question("hi")).await.unwrap_err();
    assert_eq!(denied.code(), Code::PermissionDenied);
    assert!(denied.message().contains("allows only Chat/CreateChatCompletionStream, Models/*"), "{}", denied.message());
    let denied = AuthClient::new(channel).create_api_key(CreateApiKeyRequest { name: "minted".into(), acls: vec![] }).await.unwrap_err();
    assert_eq!(denied.code(), Code::PermissionDenied);
    let addr = gateway.gateway.addr;
    let image = frame(&ImageRequest { prompt: "a cat".into(), model: "grok-2-image".into(), ..Default::default() });
    let (head, chunks, _) = http1_request(addr, grpc_web_post(addr, "/xai_api.Image/CreateImage", image, &[])).await;
    assert_eq!(grpc_status(&head, &chunks.concat()), Some(7));
    assert_eq!(head.headers["content-type"], GRPC_WEB);
    gateway.stop().await;

    // Without the allowlist, the refused key creation is nowhere to be seen.
    let unrestricted = TestGateway::start_in(temp.path(), &[]).await;
    let names = key_names(&unrestricted).await;
    assert!(!names.contains(&"minted".to_string()), "{names:?}");
    unrestricted.stop().await;
}

#[tokio::test]
async fn a_flooding_client_is_limited_while_others_are_served() {
    let gateway = TestGateway::start(&["--rate-limit-rps", "1", "--rate-limit-burst", "3", "--trusted-proxy", "127.0.0.1"]).await;
    let addr = gateway.gateway.addr;
    let call =
        |client: &str| grpc_web_post(addr, "/xai_api.Models/ListModels", frame(&ListModelsRequest {}), &[("x-forwarded-for", client)]);
    let flooder = "203.0.113.7";
    let (mut served, mut refused) = (0, None);
    for _ in 0..20 {
        let (head, chunks, _) = http1_request(addr, call(flooder)).await;
        match grpc_status(&head, &chunks.concat()) {
            Some(0) => served += 1,
            Some(8) => refused = Some(head),
            other => panic!("unexpected status {other:?}"),
        }
    }
    assert!((3..=4).contains(&served), "the burst of 3 (plus at most one refill) was served: {served}");
    let refused = refused.expect("the flood was refused");
    assert_eq!(refused.headers["retry-after"], "1");
    assert!(grpc_message(&refused.headers).contains("retry after 1 s"), "{:?}", refused.headers);

    // Another client is served at once, over gRPC-Web and native gRPC.
    let (head, chunks, _) = http1_request(addr, call("198.51.100.2")).await;
    assert_eq!(grpc_status(&head, &chunks.concat()), Some(0));
    let mut models = ModelsClient::new(gateway.channel().await);
    models.list_models(from_client(ListModelsRequest {}, "198.51.100.2")).await.unwrap();
    let error = models.list_models(from_client(ListModelsRequest {}, flooder)).await.unwrap_err();
    assert_eq!(error.code(), Code::ResourceExhausted);
    assert_eq!(error.metadata().get("retry-after").unwrap(), "1");
    assert!(error.message().contains("retry after 1 s"), "{}", error.message());

    // Waiting as told is enough.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (head, chunks, _) = http1_request(addr, call(flooder)).await;
    assert_eq!(grpc_status(&head, &chunks.concat()), Some(0));
    gateway.stop().await;
}

#[tokio::test]
async fn clients_are_told_apart_by_peer_address_unless_forwarded_for_is_trusted() {
    let gateway = TestGateway::start(&["--rate-limit-rps", "0.2", "--rate-limit-burst", "2"]).await;
    let connect_from = |ip: &str| {
        let endpoint = Endpoint::from_shared(gateway.url()).unwrap().local_address(Some(ip.parse::<IpAddr>().unwrap()));
        async move { ModelsClient::new(endpoint.connect().await.expect("connects")) }
    };
    let mut first = connect_from("127.0.0.1").await;
    // Forwarded-for is not trusted here: changing it does not make a new client.
    for spoofed in ["192.0.2.1", "192.0.2.2"] {
        first.list_models(from_client(ListModelsRequest {}, spoofed)).await.unwrap();
    }
    let error = first.list_models(from_client(ListModelsRequest {}, "192.0.2.3")).await.unwrap_err();
    assert_eq!(error.code(), Code::ResourceExhausted);
    assert!(error.message().contains("retry after 5 s"), "{}", error.message());
    let mut second = connect_from("127.0.0.2").await;
    second.list_models(ListModelsRequest {}).await.unwrap();
    gateway.stop().await;
}

#[tokio::test]
async fn open_calls_per_client_are_capped() {
    let flags = ["--max-streams-per-client", "2", "--stream-rate", "10", "--min-answer-chars", "4000", "--trusted-proxy", "127.0.0.1"];
    let gateway = TestGateway::start(&flags).await;
    let chat = ChatClient::new(gateway.channel().await);
    let open = |client: &'static str| {
        let mut chat = chat.clone();
        async move { chat.create_chat_completion_stream(from_client(question("Tell me about streams"), client)).await }
    };
    let mut first = open("203.0.113.7").await.unwrap().into_inner();
    let mut second = open("203.0.113.7").await.unwrap().into_inner();
    first.next().await.unwrap().unwrap();
    second.next().await.unwrap().unwrap();
    let refused = open("203.0.113.7").await.unwrap_err();
    assert_eq!(refused.code(), Code::ResourceExhausted);
    assert!(refused.message().contains("at most 2") && refused.message().contains("retry after 1 s"), "{}", refused.message());
    let mut other = open("198.51.100.2").await.unwrap().into_inner();
    other.next().await.unwrap().unwrap();

    // Closing a stream frees its place (the server sees the cancellation shortly after).
    drop(first);
    let mut reopened = None;
    for _ in 0..50 {
        if let Ok(stream) = open("203.0.113.7").await {
            reopened = Some(stream.into_inner());
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    reopened.expect("a place is free again").next().await.unwrap().unwrap();
    gateway.stop().await;
}

#[tokio::test]
async fn an_oversized_request_is_refused_and_others_are_still_served() {
    let gateway = TestGateway::start(&["--max-request-bytes", "64KiB"]).await;
    let addr = gateway.gateway.addr;
    let mut chat = ChatClient::new(gateway.channel().await);
    let error = chat.create_chat_completion(question(&"x".repeat(100_000))).await.unwrap_err();
    assert_eq!(error.code(), Code::InvalidArgument);
    assert!(error.message().contains("at most 64 KiB per request"), "{}", error.message());
    chat.create_chat_completion(question(&"x".repeat(30_000))).await.unwrap();

    // A browser-style upload announcing 64 MB, produced lazily: refused after a small part of
    // it was read, not buffered whole.
    let produced = Arc::new(AtomicUsize::new(0));
    let counter = produced.clone();
    let mut header = vec![0u8];
    header.extend_from_slice(&(64u32 << 20).to_be_bytes());
    let chunks = futures_util::stream::iter(
        std::iter::once(Bytes::from(header)).chain((0..1024).map(|_| Bytes::from(vec![b'x'; 64 << 10]))),
    )
    .map(move |chunk| {
        counter.fetch_add(chunk.len(), Ordering::Relaxed);
        Ok::<_, std::convert::Infallible>(http_body::Frame::data(chunk))
    });
    let request = http::Request::post("/xai_api.Chat/CreateChatCompletionStream")
        .header("host", addr.to_string())
        .header("content-type", GRPC_WEB)
        .header("x-grpc-web", "1")
        .body(StreamBody::new(chunks))
        .unwrap();
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut sender, connection) = hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await.unwrap();
    tokio::spawn(connection);
    let response = tokio::time::timeout(Duration::from_secs(10), sender.send_request(request)).await.expect("answered in time").unwrap();
    let (head, body) = response.into_parts();
    let body = body.collect().await.map(|body| body.to_bytes()).unwrap_or_default();
    assert_eq!(grpc_status(&head, &body), Some(3), "{head:?}");
    let read = produced.load(Ordering::Relaxed);
    assert!(read < 16 << 20, "only a fraction of the 64 MB was produced before the refusal: {read}");

    // Everyone else is still served.
    let (head, chunks, _) = http1_request(addr, grpc_web_post(addr, "/xai_api.Models/ListModels", frame(&ListModelsRequest {}), &[])).await;
    assert_eq!(grpc_status(&head, &chunks.concat()), Some(0));
    chat.create_chat_completion(question("still there?")).await.unwrap();
    gateway.stop().await;
}
