//! Backend `xai` when things go wrong or get subtle: keys (whose, and nothing else), deadlines,
//! cancellation, upstream errors, garbage from the upstream, unreachable upstreams, and the
//! browser's path (gRPC-Web over HTTP/1.1).
mod common;
#[path = "common/fake_upstream.rs"]
mod fake_upstream;
#[path = "common/garbage_upstream.rs"]
mod garbage_upstream;

use std::{
    sync::atomic::Ordering,
    time::{Duration, Instant},
};

use bytes::{Buf, Bytes};
use common::{http1_request, with_key, TestGateway};
use fake_upstream::FakeUpstream;
use garbage_upstream::GarbageUpstream;
use http_body_util::Full;
use prost::Message as _;
use tonic::{Code, Request, Status};
use xai_gateway::proto::{
    auth_client::AuthClient, chat_client::ChatClient, models_client::ModelsClient, sample_client::SampleClient, ChatCompletionChunk,
    ChatCompletionRequest, CreateApiKeyRequest, DeleteApiKeyRequest, GetApiKeyRequest, ListApiKeysRequest, ListLanguageModelsRequest,
    Message, RawSampleRequest,
};

const KEY: &str = "xai-caller-key-0123456789";

async fn gateway_to(url: &str, extra: &[&str]) -> TestGateway {
    let mut args = vec!["--backend", "xai", "--upstream-url", url];
    args.extend_from_slice(extra);
    TestGateway::start(&args).await
}

fn chat_request() -> ChatCompletionRequest {
    ChatCompletionRequest {
        model: "grok-4".into(),
        messages: vec![Message { role: "user".into(), content: "hi".into(), ..Default::default() }],
        ..Default::default()
    }
}

#[tokio::test]
async fn key_management_is_unimplemented_and_says_why() {
    let upstream = FakeUpstream::start().await;
    let gateway = gateway_to(&upstream.url(), &[]).await;
    let mut auth = AuthClient::new(gateway.channel().await);
    let errors = [
        auth.list_api_keys(with_key(ListApiKeysRequest {}, KEY)).await.unwrap_err(),
        auth.create_api_key(with_key(CreateApiKeyRequest { name: "x".into(), acls: vec![] }, KEY)).await.unwrap_err(),
        auth.delete_api_key(with_key(DeleteApiKeyRequest { api_key_id: "k".into() }, KEY)).await.unwrap_err(),
    ];
    for error in errors {
        assert_eq!(error.code(), Code::Unimplemented);
        assert!(error.message().contains("REST management API"), "{}", error.message());
    }
    assert!(upstream.state.calls().is_empty(), "nothing was sent upstream");
    gateway.stop().await;
}

#[tokio::test]
async fn upstream_statuses_reach_the_caller_unchanged() {
    let upstream = FakeUpstream::start().await;
    let gateway = gateway_to(&upstream.url(), &[]).await;
    let mut chat = ChatClient::new(gateway.channel().await);
    *upstream.state.fail_next.lock().unwrap() = Some(Status::resource_exhausted("Rate limit: 5 requests per second; retry in 200 ms"));
    let error = chat.create_chat_completion(with_key(chat_request(), KEY)).await.unwrap_err();
    assert_eq!(error.code(), Code::ResourceExhausted);
    assert_eq!(error.message(), "Rate limit: 5 requests per second; retry in 200 ms");

    *upstream.state.fail_next.lock().unwrap() = Some(Status::unauthenticated("Incorrect API key provided: xa***89"));
    let error = chat.create_chat_completion_stream(with_key(chat_request(), KEY)).await.unwrap_err();
    assert_eq!((error.code(), error.message()), (Code::Unauthenticated, "Incorrect API key provided: xa***89"));
    gateway.stop().await;
}

#[tokio::test]
async fn only_the_callers_key_travels_upstream() {
    let upstream = FakeUpstream::start().await;
    let gateway = gateway_to(&upstream.url(), &[]).await;
    let mut request = with_key(chat_request(), KEY);
    for (name, value) in [("cookie", "session=browser-secret"), ("x-fault", "status=internal"), ("x-team-secret", "s3cret")] {
        request.metadata_mut().insert(name, value.parse().unwrap());
    }
    ChatClient::new(gateway.channel().await).create_chat_completion(request).await.unwrap();
    let seen = upstream.state.last("Chat/GetCompletion");
    assert_eq!(seen.header("authorization").unwrap(), format!("Bearer {KEY}"));
    for name in ["cookie", "x-fault", "x-team-secret", "grpc-timeout"] {
        assert!(seen.header(name).is_none(), "{name} must not reach the upstream");
    }
    assert!(seen.header("user-agent").unwrap().contains("xai-gateway/"));
    gateway.stop().await;
}

#[tokio::test]
async fn the_server_key_is_sent_when_the_caller_has_none() {
    let upstream = FakeUpstream::start().await;
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("xai-key");
    std::fs::write(&key_file, "xai-server-held-key-42\n").unwrap();
    let key_path = key_file.to_str().unwrap();
    let gateway = gateway_to(&upstream.url(), &["--server-key-file", key_path]).await;
    let mut auth = AuthClient::new(gateway.channel().await);
    auth.get_api_key(Request::new(GetApiKeyRequest {})).await.unwrap();
    assert_eq!(upstream.state.last("Auth/get_api_key_info").header("authorization").unwrap(), "Bearer xai-server-held-key-42");
    auth.get_api_key(with_key(GetApiKeyRequest {}, KEY)).await.unwrap();
    assert_eq!(upstream.state.last("Auth/get_api_key_info").header("authorization").unwrap(), format!("Bearer {KEY}"), "a typed key wins");
    gateway.stop().await;

    // Without a server key a call without a key never leaves the gateway.
    let calls_before = upstream.state.calls().len();
    for extra in [vec![], vec!["--server-key-file", key_path, "--no-server-key"]] {
        let gateway = gateway_to(&upstream.url(), &extra).await;
        let error = AuthClient::new(gateway.channel().await).get_api_key(Request::new(GetApiKeyRequest {})).await.unwrap_err();
        assert_eq!(error.code(), Code::Unauthenticated);
        assert!(error.message().contains("missing API key"), "{}", error.message());
        gateway.stop().await;
    }
    assert_eq!(upstream.state.calls().len(), calls_before);
    // The local backend's default key file is never sent to the real API.
    assert!(!gateway_dir_has_key(&upstream).await);
}

/// A gateway in xai mode without --server-key-file leaves <data-dir>/server-key alone.
async fn gateway_dir_has_key(upstream: &FakeUpstream) -> bool {
    let gateway = gateway_to(&upstream.url(), &[]).await;
    let exists = gateway.data_dir.join("server-key").exists();
    gateway.stop().await;
    exists
}

#[tokio::test]
async fn the_remaining_deadline_is_forwarded() {
    let upstream = FakeUpstream::start().await;
    let gateway = gateway_to(&upstream.url(), &[]).await;
    let mut request = with_key(chat_request(), KEY);
    request.set_timeout(Duration::from_secs(30));
    ChatClient::new(gateway.channel().await).create_chat_completion(request).await.unwrap();
    let header = upstream.state.last("Chat/GetCompletion").header("grpc-timeout").expect("grpc-timeout forwarded");
    let (digits, unit) = header.split_at(header.len() - 1);
    let timeout = match unit {
        "m" => Duration::from_millis(digits.parse().unwrap()),
        "u" => Duration::from_micros(digits.parse().unwrap()),
        "n" => Duration::from_nanos(digits.parse().unwrap()),
        "S" => Duration::from_secs(digits.parse().unwrap()),
        other => panic!("unexpected unit {other} in {header}"),
    };
    assert!(timeout <= Duration::from_secs(30) && timeout > Duration::from_secs(25), "{header}: the remaining part of 30 s");
    gateway.stop().await;
}

#[tokio::test]
async fn a_caller_that_stops_a_stream_cancels_the_upstream_call() {
    let upstream = FakeUpstream::start().await;
    upstream.state.hold_stream.store(true, Ordering::SeqCst);
    let gateway = gateway_to(&upstream.url(), &[]).await;
    let mut stream =
        ChatClient::new(gateway.channel().await).create_chat_completion_stream(with_key(chat_request(), KEY)).await.unwrap().into_inner();
    let first = stream.message().await.unwrap().expect("first chunk");
    assert_eq!(first.choices[0].delta.as_ref().unwrap().reasoning_content, "Let me think.");
    assert!(!upstream.state.stream_cancelled.load(Ordering::SeqCst), "the upstream stream is open while the caller reads");
    drop(stream);
    let started = Instant::now();
    while !upstream.state.stream_cancelled.load(Ordering::SeqCst) {
        assert!(started.elapsed() < Duration::from_secs(5), "the upstream never saw its stream cancelled");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    gateway.stop().await;
}

#[tokio::test]
async fn garbage_from_the_upstream_becomes_clean_errors() {
    let upstream = GarbageUpstream::start().await;
    let gateway = gateway_to(&upstream.url(), &[]).await;
    let channel = gateway.channel().await;

    let error = ChatClient::new(channel.clone()).create_chat_completion(with_key(chat_request(), KEY)).await.unwrap_err();
    assert_eq!(error.code(), Code::Internal, "undecodable message: {error:?}");
    assert!(error.message().contains("decode"), "{}", error.message());

    let error = ModelsClient::new(channel.clone()).list_language_models(with_key(ListLanguageModelsRequest {}, KEY)).await.unwrap_err();
    assert_eq!(error.code(), Code::Unknown, "a grpc-status that is no number: {error:?}");

    let error = AuthClient::new(channel.clone()).get_api_key(with_key(GetApiKeyRequest {}, KEY)).await.unwrap_err();
    assert_eq!((error.code(), error.message()), (Code::ResourceExhausted, "slow down"), "bad details dropped, status kept");

    let mut stream =
        SampleClient::new(channel.clone()).raw_sample_stream(with_key(RawSampleRequest::default(), KEY)).await.unwrap().into_inner();
    assert_eq!(stream.message().await.unwrap().unwrap().id, "ok");
    assert_eq!(stream.message().await.unwrap_err().code(), Code::Unavailable, "trailer status kept, bad details dropped");

    let mut stream =
        ChatClient::new(channel.clone()).create_chat_completion_stream(with_key(chat_request(), KEY)).await.unwrap().into_inner();
    assert_eq!(stream.message().await.unwrap().unwrap().id, "ok");
    let error = stream.message().await.unwrap_err();
    assert_eq!(error.code(), Code::Internal, "truncated frame: {error:?}");
    assert!(error.message().contains("middle of a message"), "not reported as a complete answer: {}", error.message());

    let error = SampleClient::new(channel.clone()).raw_sample(with_key(RawSampleRequest::default(), KEY)).await.unwrap_err();
    assert_eq!(error.code(), Code::Unavailable, "an HTML 502 page: {error:?}");
    assert!(error.message().contains("HTTP 502"), "{}", error.message());

    // The gateway is still up and answering on the same connection.
    let error = AuthClient::new(channel).list_api_keys(with_key(ListApiKeysRequest {}, KEY)).await.unwrap_err();
    assert_eq!(error.code(), Code::Unimplemented);
    gateway.stop().await;
}

#[tokio::test]
async fn unreachable_or_non_tls_upstreams_give_unavailable() {
    let fake = FakeUpstream::start().await;
    // TLS against a plain HTTP/2 server: the handshake fails.
    let tls_url = format!("https://{}", fake.addr);
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let refused_url = format!("http://127.0.0.1:{closed_port}");
    for url in [tls_url, refused_url] {
        let gateway = gateway_to(&url, &[]).await;
        let error = ChatClient::new(gateway.channel().await).create_chat_completion(with_key(chat_request(), KEY)).await.unwrap_err();
        assert_eq!(error.code(), Code::Unavailable, "{url}: {error:?}");
        assert!(error.message().contains("upstream API call failed"), "{url}: {}", error.message());
        assert!(!error.message().contains(KEY), "no key in errors");
        gateway.stop().await;
    }
    assert!(fake.state.calls().is_empty());
}

fn grpc_web_frame(message: &impl prost::Message) -> Bytes {
    let payload = message.encode_to_vec();
    let mut framed = vec![0u8];
    framed.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    framed.extend_from_slice(&payload);
    framed.into()
}

/// A browser's gRPC-Web call of CreateChatCompletionStream (HTTP/1.1, with a cookie).
fn grpc_web_chat_stream(gateway: &TestGateway) -> http::Request<Full<Bytes>> {
    http::Request::post("/xai_api.Chat/CreateChatCompletionStream")
        .header("host", gateway.gateway.addr.to_string())
        .header("content-type", "application/grpc-web+proto")
        .header("x-grpc-web", "1")
        .header("authorization", format!("Bearer {KEY}"))
        .header("cookie", "session=browser-secret")
        .body(Full::new(grpc_web_frame(&chat_request())))
        .unwrap()
}

#[tokio::test]
async fn a_browser_streams_chat_over_grpc_web_from_the_upstream() {
    let upstream = FakeUpstream::start().await;
    let gateway = gateway_to(&upstream.url(), &[]).await;
    let (head, chunks, _) = http1_request(gateway.gateway.addr, grpc_web_chat_stream(&gateway)).await;
    assert_eq!((head.version, head.status), (http::Version::HTTP_11, http::StatusCode::OK));
    let mut body: &[u8] = &chunks.concat();
    let (mut text, mut trailer) = (String::new(), String::new());
    while body.len() >= 5 {
        let flag = body[0];
        let length = (&body[1..5]).get_u32() as usize;
        let payload = &body[5..5 + length];
        if flag & 0x80 != 0 {
            trailer = String::from_utf8(payload.to_vec()).unwrap();
        } else {
            text.push_str(&ChatCompletionChunk::decode(payload).unwrap().choices[0].delta.as_ref().unwrap().content);
        }
        body = &body[5 + length..];
    }
    assert_eq!(text, "Hello");
    assert!(trailer.contains("grpc-status:0"), "{trailer}");
    let seen = upstream.state.last("Chat/GetCompletionChunk");
    assert_eq!(seen.header("authorization").unwrap(), format!("Bearer {KEY}"));
    assert!(seen.header("cookie").is_none() && seen.header("x-grpc-web").is_none());
    gateway.stop().await;
}

#[tokio::test]
async fn bad_upstream_flags_are_clear_startup_errors() {
    use clap::Parser as _;
    for (url, expected) in [
        ("api.x.ai", "no scheme"),
        ("ftp://api.x.ai", "not supported"),
        ("https://api.x.ai/v1/chat", "path"),
        ("https://key@api.x.ai", "credentials"),
    ] {
        let error = xai_gateway::Args::try_parse_from(["xai-gateway", "--backend", "xai", "--upstream-url", url]).unwrap_err();
        assert!(error.to_string().contains(expected), "{url}: {error}");
    }
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_str().unwrap();
    let missing = dir.path().join("no-such-key");
    let empty = dir.path().join("empty-key");
    std::fs::write(&empty, "  \n").unwrap();
    for (file, expected) in [(&missing, "cannot read the server key file"), (&empty, "is empty")] {
        let argv = [
            "xai-gateway",
            "--backend",
            "xai",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            data_dir,
            "--server-key-file",
            file.to_str().unwrap(),
        ];
        let args = xai_gateway::Args::try_parse_from(argv).unwrap();
        let error = xai_gateway::start(&args).await.err().expect("start fails").to_string();
        assert!(error.contains(expected), "{error}");
    }
}

#[tokio::test]
async fn a_browser_that_closes_its_grpc_web_stream_cancels_the_upstream_call() {
    use http_body_util::BodyExt as _;
    let upstream = FakeUpstream::start().await;
    upstream.state.hold_stream.store(true, Ordering::SeqCst);
    let gateway = gateway_to(&upstream.url(), &[]).await;
    let tcp = tokio::net::TcpStream::connect(gateway.gateway.addr).await.unwrap();
    let (mut sender, connection) = hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(tcp)).await.unwrap();
    let connection = tokio::spawn(connection);
    let response = sender.send_request(grpc_web_chat_stream(&gateway)).await.unwrap();
    let mut body = response.into_body();
    let first = body.frame().await.expect("a first frame").unwrap().into_data().expect("data");
    assert!(first.len() > 5 && first[0] == 0, "the first message arrived");
    assert!(!upstream.state.stream_cancelled.load(Ordering::SeqCst));
    // What a tab that navigates away does: the HTTP/1.1 connection goes.
    drop(body);
    drop(sender);
    connection.abort();
    let started = Instant::now();
    while !upstream.state.stream_cancelled.load(Ordering::SeqCst) {
        assert!(started.elapsed() < Duration::from_secs(5), "the upstream never saw its stream cancelled");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    gateway.stop().await;
}
