//! The gateway decides trust from its own configuration, never from what a client claims: its
//! own origins are its configured public ones (not the Host header: DNS rebinding), a client's
//! address comes from X-Forwarded-For only through a configured proxy, and the app's pages
//! carry a Content-Security-Policy that keeps them from being turned against their user.
mod common;

use std::{net::IpAddr, time::Duration};

use clap::Parser as _;
use common::{
    grpc_web::{frame, grpc_status, grpc_web_post, parse_frames},
    http1_request, TestGateway,
};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tonic::{transport::Endpoint, Code, Request};
use xai_gateway::proto::{models_client::ModelsClient, ListApiKeysRequest, ListApiKeysResponse, ListModelsRequest};

/// Auth.ListApiKeys over gRPC-Web as a browser page would send it, with these Host and Origin:
/// (gRPC status, the keys listed).
async fn list_keys_as_page(gateway: &TestGateway, host: &str, origin: &str) -> (Option<u32>, Vec<String>) {
    let addr = gateway.gateway.addr;
    let mut request = grpc_web_post(addr, "/xai_api.Auth/ListApiKeys", frame(&ListApiKeysRequest {}), &[("origin", origin)]);
    request.headers_mut().insert("host", host.parse().unwrap());
    let (head, chunks, _) = http1_request(addr, request).await;
    let body = chunks.concat();
    let status = grpc_status(&head, &body);
    let (messages, _) = if head.headers.contains_key("grpc-status") { (Vec::new(), None) } else { parse_frames(&body) };
    let keys = messages
        .iter()
        .flat_map(|message| <ListApiKeysResponse as prost::Message>::decode(message.as_slice()).unwrap().api_keys)
        .map(|key| key.name)
        .collect();
    (status, keys)
}

#[tokio::test]
async fn a_dns_rebinding_page_cannot_use_the_server_held_key() {
    let gateway = TestGateway::start(&[]).await;
    let port = gateway.gateway.addr.port();
    // evil.example resolves to 127.0.0.1 now: the page's requests carry its name in Host and Origin.
    let rebound = format!("evil.example:{port}");
    let (status, keys) = list_keys_as_page(&gateway, &rebound, &format!("http://{rebound}")).await;
    assert_eq!(status, Some(7), "refused");
    assert!(keys.is_empty(), "{keys:?}");

    // The gateway's own pages (default public origins of a loopback listener, real port) pass.
    for own in [format!("http://127.0.0.1:{port}"), format!("http://localhost:{port}")] {
        let (status, keys) = list_keys_as_page(&gateway, &own["http://".len()..], &own).await;
        assert_eq!(status, Some(0), "{own}");
        assert!(keys.contains(&"gateway (server-held)".to_string()), "{own}: {keys:?}");
    }
    gateway.stop().await;

    // Configured public origins replace the defaults; Host still decides nothing.
    let gateway = TestGateway::start(&["--public-origin", "https://chat.example.com"]).await;
    let (status, _) = list_keys_as_page(&gateway, "chat.example.com", "https://chat.example.com").await;
    assert_eq!(status, Some(0));
    let (status, _) = list_keys_as_page(&gateway, "127.0.0.1:1", "https://chat.example.com").await;
    assert_eq!(status, Some(0), "a proxy may rewrite Host");
    let own = format!("http://{}", gateway.gateway.addr);
    let (status, _) = list_keys_as_page(&gateway, &own["http://".len()..], &own).await;
    assert_eq!(status, Some(7), "not a public origin any more");
    gateway.stop().await;
}

/// A ListModels over native gRPC from local address `from`, carrying `x-forwarded-for`.
async fn list_models_from(gateway: &TestGateway, from: &str, forwarded_for: &str) -> Result<(), tonic::Status> {
    let endpoint = Endpoint::from_shared(gateway.url()).unwrap().local_address(Some(from.parse::<IpAddr>().unwrap()));
    let mut models = ModelsClient::new(endpoint.connect().await.expect("connects"));
    let mut request = Request::new(ListModelsRequest {});
    request.metadata_mut().insert("x-forwarded-for", forwarded_for.parse().unwrap());
    models.list_models(request).await.map(|_| ())
}

#[tokio::test]
async fn forwarded_for_counts_only_from_a_trusted_proxy_and_only_its_right_most_untrusted_hop() {
    // One call per client: the second call of the same client is refused.
    let limit = ["--rate-limit-rps", "0.01", "--rate-limit-burst", "1"];
    let gateway = TestGateway::start(&limit).await;
    list_models_from(&gateway, "127.0.0.1", "192.0.2.1").await.unwrap();
    let spoofed = list_models_from(&gateway, "127.0.0.1", "192.0.2.2").await.unwrap_err();
    assert_eq!(spoofed.code(), Code::ResourceExhausted, "a new X-Forwarded-For from an untrusted peer is no new client");
    gateway.stop().await;

    let mut flags = limit.to_vec();
    flags.extend(["--trusted-proxy", "127.0.0.1"]);
    let gateway = TestGateway::start(&flags).await;
    // Through the proxy at 127.0.0.1, which appended the address it saw (203.0.113.7).
    list_models_from(&gateway, "127.0.0.1", "198.51.100.1, 203.0.113.7").await.unwrap();
    let error = list_models_from(&gateway, "127.0.0.1", "198.51.100.2, 203.0.113.7").await.unwrap_err();
    assert_eq!(error.code(), Code::ResourceExhausted, "the hop the client wrote itself changes nothing");
    list_models_from(&gateway, "127.0.0.1", "203.0.113.8").await.expect("another client behind the proxy");
    // A peer that is not the proxy is counted by its own address, whatever it sends.
    list_models_from(&gateway, "127.0.0.2", "203.0.113.9").await.unwrap();
    let error = list_models_from(&gateway, "127.0.0.2", "203.0.113.10").await.unwrap_err();
    assert_eq!(error.code(), Code::ResourceExhausted);
    gateway.stop().await;
}

#[tokio::test]
async fn the_old_trust_forwarded_for_flag_stops_the_start_with_directions() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().to_str().unwrap();
    let args =
        xai_gateway::Args::try_parse_from(["xai-gateway", "--listen", "127.0.0.1:0", "--data-dir", data, "--trust-forwarded-for"]).unwrap();
    let error = xai_gateway::start(&args).await.err().expect("refused").to_string();
    assert!(error.contains("--trusted-proxy"), "{error}");
}

/// GET `path` written byte for byte (so `//embed` stays what it is): the response head.
async fn raw_get(addr: std::net::SocketAddr, path: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut response)).await.expect("answered").unwrap();
    let text = String::from_utf8_lossy(&response).to_string();
    text.split("\r\n\r\n").next().unwrap().to_ascii_lowercase()
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|line| line.strip_prefix(name)?.strip_prefix(':')).map(str::trim)
}

#[tokio::test]
async fn app_pages_carry_a_policy_that_only_lets_the_widget_route_be_framed() {
    let gateway = TestGateway::start(&["--app-endpoint", "https://images.example:8443"]).await;
    let dist = gateway.data_dir.join("dist");
    let base_script = "document.head.append(document.createElement('base'))";
    std::fs::write(
        dist.join("index.html"),
        format!("<!doctype html><head><script>{base_script}</script><script type=\"module\" src=\"./app.js\"></script></head>"),
    )
    .unwrap();
    std::fs::write(dist.join("config.json"), r#"{"endpoint": "https://grpc.example.com/api"}"#).unwrap();
    std::fs::write(dist.join("app.js"), "export {}").unwrap();
    let addr = gateway.gateway.addr;
    use base64::Engine as _;
    use sha2::Digest as _;
    let hash = format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(base_script)));

    for path in ["/", "/chat", "/keys", "/models/embed", "/chat/embed", "/embed/x", "//embed", "/app.js"] {
        let head = raw_get(addr, path).await;
        assert!(head.starts_with("http/1.1 200"), "{path}: {head}");
        let policy = header(&head, "content-security-policy").unwrap_or_else(|| panic!("{path}: no policy in {head}"));
        for directive in ["frame-ancestors 'self'", "base-uri 'self'", "object-src 'none'", "default-src 'self'", "'wasm-unsafe-eval'"] {
            assert!(policy.contains(directive), "{path}: {directive} missing from {policy}");
        }
        assert!(policy.contains("connect-src 'self' https://images.example:8443 https://grpc.example.com;"), "{path}: {policy}");
        assert!(!policy.contains("https:;") && !policy.contains(" * "), "{path}: {policy}");
        assert_eq!(header(&head, "x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(header(&head, "referrer-policy"), Some("no-referrer"), "{path}");
        if path != "/app.js" {
            assert!(policy.contains(&format!("script-src 'self' 'wasm-unsafe-eval' {}", hash.to_ascii_lowercase())), "{path}: {policy}");
        }
    }
    for path in ["/embed", "/embed/", "/embed?model=grok-4"] {
        let head = raw_get(addr, path).await;
        let policy = header(&head, "content-security-policy").unwrap();
        assert!(policy.ends_with("frame-ancestors *"), "{path}: {policy}");
        assert!(policy.contains("base-uri 'self'") && policy.contains("object-src 'none'"), "{path}: {policy}");
    }
    // Under a deep link the browser's preload scanner asks for assets beside the page: it gets
    // the asset (with nosniff, index.html there would be a refused stylesheet or script).
    let head = raw_get(addr, "/models/app.js").await;
    assert!(header(&head, "content-type").is_some_and(|t| t.contains("javascript")), "{head}");
    // Every other response gets the two headers too.
    let head = raw_get(addr, "/images/nope.png").await;
    assert_eq!(header(&head, "x-content-type-options"), Some("nosniff"));
    gateway.stop().await;
}
