//! The built app is served like a production site: the build's precompressed copies by
//! content negotiation (the SPA fallback too), the `.wasm` as application/wasm, trunk's hashed
//! files cached for a year, the others revalidated with ETags, and index.html's policy intact.
mod common;

use std::{
    path::Path,
    time::{Duration, SystemTime},
};

use bytes::Bytes;
use common::TestGateway;
use http::{header, response::Parts, StatusCode};

const WASM: &str = "/xai-web-f3f26118388e484b_bg.wasm";
const INLINE_SCRIPT: &str = "document.head.append(document.createElement('base'))";

/// The app trunk and scripts/compress-dist.mjs would write (the copies' bytes are markers:
/// the gateway sends them as they are, it never decodes them).
fn write_app(dist: &Path) {
    let index = format!("<!doctype html><head><script>{INLINE_SCRIPT}</script></head><body>xai-web</body>");
    let wasm = &WASM[1..];
    for (name, bytes) in [
        ("index.html", index.as_bytes()),
        ("index.html.br", b"index as brotli"),
        ("index.html.gz", b"index as gzip"),
        (wasm, b"\0asm\x01\0\0\0 the app"),
        (&format!("{wasm}.br"), b"wasm as brotli"),
        (&format!("{wasm}.gz"), b"wasm as gzip"),
        ("config.json", b"{}"),
    ] {
        std::fs::write(dist.join(name), bytes).unwrap();
    }
}

/// GET (or `method`) `path` with these request headers: the response head and body.
async fn request(gateway: &TestGateway, method: &str, path: &str, headers: &[(&str, &str)]) -> (Parts, Vec<u8>) {
    let addr = gateway.gateway.addr;
    let mut request = http::Request::builder().method(method).uri(path).header("host", addr.to_string());
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request.body(http_body_util::Full::new(Bytes::new())).unwrap();
    let (head, chunks, _) = common::http1_request(addr, request).await;
    (head, chunks.concat())
}

async fn get(gateway: &TestGateway, path: &str, accept_encoding: &str) -> (Parts, Vec<u8>) {
    let headers: &[(&str, &str)] = if accept_encoding.is_empty() { &[] } else { &[("accept-encoding", accept_encoding)] };
    request(gateway, "GET", path, headers).await
}

fn header(head: &Parts, name: header::HeaderName) -> Option<&str> {
    head.headers.get(name).map(|value| value.to_str().unwrap())
}

fn policy_hash() -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(INLINE_SCRIPT)))
}

#[tokio::test]
async fn files_go_out_precompressed_by_what_the_browser_accepts() {
    let gateway = TestGateway::start(&[]).await;
    write_app(&gateway.data_dir.join("dist"));

    // Chromium sends `gzip, deflate, br, zstd`: brotli, the smaller, wins.
    for (accept, encoding, body) in [
        ("gzip, deflate, br, zstd", Some("br"), &b"wasm as brotli"[..]),
        ("gzip", Some("gzip"), b"wasm as gzip"),
        ("br;q=0, gzip", Some("gzip"), b"wasm as gzip"),
        ("", None, b"\0asm\x01\0\0\0 the app"),
        ("identity", None, b"\0asm\x01\0\0\0 the app"),
    ] {
        let (head, bytes) = get(&gateway, WASM, accept).await;
        assert_eq!(head.status, StatusCode::OK, "{accept}");
        assert_eq!(header(&head, header::CONTENT_ENCODING), encoding, "{accept}");
        assert_eq!(bytes, body, "{accept}");
        assert_eq!(header(&head, header::CONTENT_LENGTH), Some(&*body.len().to_string()), "{accept}");
        // Streaming compilation needs the type, whatever the encoding.
        assert_eq!(header(&head, header::CONTENT_TYPE), Some("application/wasm"), "{accept}");
        assert_eq!(header(&head, header::VARY), Some("accept-encoding"), "{accept}");
        assert_eq!(header(&head, header::CACHE_CONTROL), Some("public, max-age=31536000, immutable"), "{accept}");
    }
    // Under a deep link the preload scanner asks for the asset beside the page: the same file.
    let (head, bytes) = get(&gateway, &format!("/models{WASM}"), "br").await;
    assert_eq!((header(&head, header::CONTENT_ENCODING), &bytes[..]), (Some("br"), &b"wasm as brotli"[..]));
    assert_eq!(header(&head, header::CACHE_CONTROL), Some("public, max-age=31536000, immutable"));

    // The page, at its own name, at the root and as the SPA fallback of a client-side route.
    for path in ["/", "/index.html", "/chat", "/models/grok-4"] {
        let (head, bytes) = get(&gateway, path, "gzip, deflate, br").await;
        assert_eq!(head.status, StatusCode::OK, "{path}");
        assert_eq!(header(&head, header::CONTENT_ENCODING), Some("br"), "{path}");
        assert_eq!(bytes, b"index as brotli", "{path}");
        assert!(header(&head, header::CONTENT_TYPE).unwrap().starts_with("text/html"), "{path}");
        assert_eq!(header(&head, header::CACHE_CONTROL), Some("no-cache"), "{path}");
        assert_eq!(header(&head, header::VARY), Some("accept-encoding"), "{path}");
        // The policy names the page's inline script, hashed from the uncompressed file.
        let policy = header(&head, header::CONTENT_SECURITY_POLICY).unwrap_or_else(|| panic!("{path}: no policy"));
        assert!(policy.contains(&policy_hash()), "{path}: {policy}");
        assert!(policy.contains("frame-ancestors 'self'"), "{path}: {policy}");
    }
    let (head, bytes) = get(&gateway, "/chat", "gzip").await;
    assert_eq!((header(&head, header::CONTENT_ENCODING), &bytes[..]), (Some("gzip"), &b"index as gzip"[..]));
    let (head, bytes) = get(&gateway, "/chat", "").await;
    assert_eq!(header(&head, header::CONTENT_ENCODING), None);
    assert!(String::from_utf8(bytes).unwrap().contains(INLINE_SCRIPT));
    let (head, bytes) = request(&gateway, "HEAD", "/chat", &[("accept-encoding", "br")]).await;
    assert_eq!((head.status, header(&head, header::CONTENT_ENCODING)), (StatusCode::OK, Some("br")));
    assert_eq!(header(&head, header::CONTENT_LENGTH), Some("15"));
    assert!(bytes.is_empty());

    // A file without copies goes out as it is, revalidated.
    let (head, bytes) = get(&gateway, "/config.json", "gzip, deflate, br").await;
    assert_eq!((header(&head, header::CONTENT_ENCODING), &bytes[..]), (None, &b"{}"[..]));
    assert_eq!(header(&head, header::CACHE_CONTROL), Some("no-cache"));
    assert!(header(&head, header::ETAG).is_some());
    gateway.stop().await;
}

#[tokio::test]
async fn revalidated_files_answer_304_by_etag() {
    let gateway = TestGateway::start(&[]).await;
    let dist = gateway.data_dir.join("dist");
    write_app(&dist);

    let (head, _) = get(&gateway, "/chat", "br").await;
    let etag = header(&head, header::ETAG).expect("an ETag").to_string();
    assert!(etag.starts_with('"') && !etag.starts_with("W/"), "strong: {etag}");
    let last_modified = header(&head, header::LAST_MODIFIED).expect("Last-Modified").to_string();
    let (gzip, _) = get(&gateway, "/chat", "gzip").await;
    assert_ne!(header(&gzip, header::ETAG), Some(&*etag), "each encoding is its own representation");
    let (plain, _) = get(&gateway, "/index.html", "").await;
    assert_ne!(header(&plain, header::ETAG), Some(&*etag));

    for path in ["/chat", "/", "/index.html"] {
        let (head, bytes) = request(&gateway, "GET", path, &[("accept-encoding", "br"), ("if-none-match", &etag)]).await;
        assert_eq!(head.status, StatusCode::NOT_MODIFIED, "{path}");
        assert!(bytes.is_empty(), "{path}");
        assert_eq!(header(&head, header::ETAG), Some(&*etag), "{path}");
        assert_eq!(header(&head, header::CACHE_CONTROL), Some("no-cache"), "{path}");
        assert_eq!(header(&head, header::VARY), Some("accept-encoding"), "{path}");
        // The cached page keeps its own policy (one without its script hashes would replace it).
        assert_eq!(header(&head, header::CONTENT_SECURITY_POLICY), None, "{path}");
    }
    // Another encoding is another representation: sent in full.
    let (head, _) = request(&gateway, "GET", "/chat", &[("accept-encoding", "gzip"), ("if-none-match", &etag)]).await;
    assert_eq!(head.status, StatusCode::OK);
    // The date alone counts only without an ETag to compare; with one, the tag decides.
    let (head, _) = request(&gateway, "GET", "/chat", &[("accept-encoding", "br"), ("if-modified-since", &last_modified)]).await;
    assert_eq!((head.status, header(&head, header::ETAG)), (StatusCode::NOT_MODIFIED, Some(&*etag)));
    let (head, bytes) = request(
        &gateway,
        "GET",
        "/chat",
        &[("accept-encoding", "br"), ("if-none-match", "\"an-old-build\""), ("if-modified-since", &last_modified)],
    )
    .await;
    assert_eq!((head.status, &bytes[..]), (StatusCode::OK, &b"index as brotli"[..]));

    // A new build: the same names, new bytes, a new ETag, sent in full.
    std::fs::write(dist.join("index.html.br"), "the next index as brotli").unwrap();
    let (head, bytes) = request(&gateway, "GET", "/chat", &[("accept-encoding", "br"), ("if-none-match", &etag)]).await;
    assert_eq!((head.status, &bytes[..]), (StatusCode::OK, &b"the next index as brotli"[..]));
    assert_ne!(header(&head, header::ETAG), Some(&*etag));
    gateway.stop().await;
}

#[tokio::test]
async fn a_copy_older_than_its_file_is_never_sent() {
    let gateway = TestGateway::start(&[]).await;
    let dist = gateway.data_dir.join("dist");
    write_app(&dist);
    // Someone edits index.html in place after the build and does not recompress: its copies
    // would send the old page, whose scripts the new page's policy does not name.
    let edited = format!("<!doctype html><head><script>{INLINE_SCRIPT}</script></head><body>edited</body>");
    std::fs::write(dist.join("index.html"), &edited).unwrap();
    let later = SystemTime::now() + Duration::from_secs(5);
    std::fs::File::options().write(true).open(dist.join("index.html")).unwrap().set_modified(later).unwrap();

    let (head, bytes) = get(&gateway, "/chat", "gzip, deflate, br").await;
    assert_eq!(head.status, StatusCode::OK);
    assert_eq!(header(&head, header::CONTENT_ENCODING), None);
    assert_eq!(bytes, edited.as_bytes());
    assert!(header(&head, header::CONTENT_SECURITY_POLICY).unwrap().contains(&policy_hash()));
    gateway.stop().await;
}

#[tokio::test]
async fn the_widget_route_gets_the_widget_build_when_there_is_one() {
    let gateway = TestGateway::start(&[]).await;
    let dist = gateway.data_dir.join("dist");
    write_app(&dist);
    // Without a widget build, the full app serves /embed (it shows the widget there).
    let (head, bytes) = get(&gateway, "/embed", "").await;
    assert_eq!((head.status, &bytes[..]), (StatusCode::OK, &std::fs::read(dist.join("index.html")).unwrap()[..]));

    let embed_script = "document.title = 'widget'";
    let embed = format!("<!doctype html><head><script>{embed_script}</script></head><body>the chat alone</body>");
    std::fs::write(dist.join("embed.html"), &embed).unwrap();
    for path in ["/embed", "/embed/"] {
        let (head, bytes) = get(&gateway, path, "gzip, deflate, br").await;
        assert_eq!(head.status, StatusCode::OK, "{path}");
        assert_eq!(bytes, embed.as_bytes(), "{path}");
        assert_eq!(header(&head, header::CACHE_CONTROL), Some("no-cache"), "{path}");
        assert!(header(&head, header::ETAG).is_some(), "{path}");
        // Its own script's hash, and the framing any site may do for the widget.
        let policy = header(&head, header::CONTENT_SECURITY_POLICY).unwrap();
        use base64::Engine as _;
        use sha2::Digest as _;
        let hash = format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(embed_script)));
        assert!(policy.contains(&hash) && policy.ends_with("frame-ancestors *"), "{path}: {policy}");
    }
    // Every other route is still the full app.
    for path in ["/", "/chat", "/embed/x", "/models/embed"] {
        let (_, bytes) = get(&gateway, path, "").await;
        assert!(String::from_utf8(bytes).unwrap().contains(INLINE_SCRIPT), "{path}");
    }
    gateway.stop().await;
}
