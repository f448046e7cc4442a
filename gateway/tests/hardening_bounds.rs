//! Bounded work for every input: batch sizes, image sizes (checked before decoding), the calls
//! open in all, silent connections; a panic costs only its call; internal failures reach the
//! caller as an id, their details stay in the log.
mod common;

use std::{
    net::IpAddr,
    time::{Duration, Instant},
};

use base64::{engine::general_purpose::STANDARD as BASE64, Engine as _};
use bytes::Bytes;
use clap::Parser as _;
use common::{
    chat_request,
    grpc_web::{frame, grpc_status, grpc_web_post},
    TestGateway,
};
use http_body_util::BodyExt as _;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tonic::{transport::Endpoint, Code};
use xai_gateway::proto::{
    batch_mgmt_client::BatchMgmtClient, batch_request, chat_client::ChatClient, image_client::ImageClient, models_client::ModelsClient,
    BatchRequest, CreateBatchRequest, Empty, ImageEditRequest, ImageUrl, ListBatchesRequest, ListModelsRequest,
};

fn batch_of(count: usize, id: impl Fn(usize) -> String) -> CreateBatchRequest {
    let requests = (0..count)
        .map(|n| BatchRequest {
            batch_request_id: id(n),
            request: Some(batch_request::Request::CompletionRequest(chat_request("grok-3-mini", "hi"))),
        })
        .collect();
    CreateBatchRequest { name: "big".into(), requests, ..Default::default() }
}

#[tokio::test]
async fn batch_calls_are_capped_and_duplicates_found_in_linear_time() {
    let gateway = TestGateway::start(&["--batch-interval-ms", "100000"]).await;
    let mut batches = BatchMgmtClient::new(gateway.channel().await);
    let error = batches.create_batch(batch_of(1001, |n| format!("r{n}"))).await.unwrap_err();
    assert_eq!(error.code(), Code::InvalidArgument);
    assert!(error.message().contains("at most 1000"), "{}", error.message());

    let started = Instant::now();
    let mut duplicated = batch_of(1000, |n| format!("r{n}"));
    duplicated.requests[999].batch_request_id = "r3".into();
    let error = batches.create_batch(duplicated).await.unwrap_err();
    assert!(error.message().contains("\"r3\" appears twice"), "{}", error.message());
    let created = batches.create_batch(batch_of(1000, |n| format!("r{n}"))).await.unwrap().into_inner();
    assert_eq!(created.state.unwrap().num_requests, 1000);
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    gateway.stop().await;
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A PNG of 70 bytes whose header declares `width` x `height` (decoding it would need
/// width * height * 3 bytes).
fn png_declaring(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8], data: &[u8]| {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut typed = kind.to_vec();
        typed.extend_from_slice(data);
        png.extend_from_slice(&typed);
        png.extend_from_slice(&crc32(&typed).to_be_bytes());
    };
    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(b"IHDR", &header);
    chunk(b"IDAT", &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
    chunk(b"IEND", &[]);
    png
}

fn data_url(png: &[u8]) -> ImageUrl {
    ImageUrl { url: format!("data:image/png;base64,{}", BASE64.encode(png)), detail: 0 }
}

#[tokio::test]
async fn image_edits_are_refused_from_their_header_before_decoding() {
    let gateway = TestGateway::start(&[]).await;
    let mut images = ImageClient::new(gateway.channel().await);
    let small = {
        let mut png = std::io::Cursor::new(Vec::new());
        image::RgbImage::from_pixel(8, 8, image::Rgb([200, 10, 10])).write_to(&mut png, image::ImageFormat::Png).unwrap();
        png.into_inner()
    };
    let edit =
        ImageEditRequest { prompt: "night".into(), model: "grok-2-image".into(), image: Some(data_url(&small)), ..Default::default() };
    images.edit_image(edit.clone()).await.expect("a small image is edited");

    // 100 000 x 100 000 pixels would be 30 GB decoded: refused at once, from the header.
    let started = Instant::now();
    let huge = ImageEditRequest { image: Some(data_url(&png_declaring(100_000, 100_000))), ..edit.clone() };
    let error = images.edit_image(huge).await.unwrap_err();
    assert_eq!(error.code(), Code::InvalidArgument);
    assert!(error.message().contains("100000x100000") && error.message().contains("at most 50 megapixels"), "{}", error.message());
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    let huge_reference = ImageEditRequest { references: vec![data_url(&small), data_url(&png_declaring(20_000, 20_000))], ..edit.clone() };
    let error = images.edit_image(huge_reference).await.unwrap_err();
    assert!(error.message().starts_with("reference image 2:") && error.message().contains("megapixels"), "{}", error.message());
    let too_many = ImageEditRequest { references: vec![data_url(&small); 5], ..edit.clone() };
    let error = images.edit_image(too_many).await.unwrap_err();
    assert!(error.message().contains("at most 4"), "{}", error.message());
    // A header that passes but data that does not decode is a clean error too.
    let lying = ImageEditRequest { image: Some(data_url(&png_declaring(4000, 4000))), ..edit };
    assert_eq!(images.edit_image(lying).await.unwrap_err().code(), Code::InvalidArgument);
    gateway.stop().await;
}

#[tokio::test]
async fn calls_over_the_total_cap_are_answered_at_once_with_resource_exhausted() {
    let gateway = TestGateway::start(&["--max-open-calls", "2", "--stream-rate", "10", "--min-answer-chars", "4000"]).await;
    let from = |ip: &str| Endpoint::from_shared(gateway.url()).unwrap().local_address(Some(ip.parse::<IpAddr>().unwrap()));
    let mut first = ChatClient::new(from("127.0.0.1").connect().await.unwrap());
    let mut second = ChatClient::new(from("127.0.0.2").connect().await.unwrap());
    let mut one = first.create_chat_completion_stream(chat_request("grok-3", "long")).await.unwrap().into_inner();
    let mut two = second.create_chat_completion_stream(chat_request("grok-3", "long")).await.unwrap().into_inner();
    one.message().await.unwrap().unwrap();
    two.message().await.unwrap().unwrap();

    // A third client, with nothing open itself, is refused without waiting.
    let mut third = ModelsClient::new(from("127.0.0.3").connect().await.unwrap());
    let started = Instant::now();
    let error = third.list_models(ListModelsRequest {}).await.unwrap_err();
    assert_eq!(error.code(), Code::ResourceExhausted);
    assert!(error.message().contains("busy") && error.message().contains("retry after 1 s"), "{}", error.message());
    assert_eq!(error.metadata().get("retry-after").unwrap(), "1");
    assert!(started.elapsed() < Duration::from_secs(1));

    drop(one);
    let deadline = Instant::now() + Duration::from_secs(5);
    while third.list_models(ListModelsRequest {}).await.is_err() {
        assert!(Instant::now() < deadline, "a place frees when a stream ends");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    two.message().await.unwrap().unwrap();
    gateway.stop().await;
}

async fn panicking_handler() -> http::StatusCode {
    panic!("a handler bug, with details for the log only")
}

#[tokio::test]
async fn a_panicking_call_gets_internal_and_the_connection_keeps_serving() {
    let temp = tempfile::tempdir().unwrap();
    let (data, dist) = (temp.path().join("data"), temp.path().join("dist"));
    std::fs::create_dir_all(&dist).unwrap();
    let (data, dist) = (data.to_str().unwrap(), dist.to_str().unwrap());
    let args =
        xai_gateway::Args::try_parse_from(["xai-gateway", "--listen", "127.0.0.1:0", "--data-dir", data, "--static-dir", dist]).unwrap();
    let extra = axum::Router::new().route("/xai_api.Test/Panic", axum::routing::post(panicking_handler));
    let gateway = xai_gateway::server::start_with_routes(&args, extra).await.unwrap();
    let addr = gateway.addr;

    // Native gRPC: one HTTP/2 connection for both calls.
    let channel = Endpoint::from_shared(format!("http://{addr}")).unwrap().connect().await.unwrap();
    let mut grpc = tonic::client::Grpc::new(channel.clone());
    grpc.ready().await.unwrap();
    let path = http::uri::PathAndQuery::from_static("/xai_api.Test/Panic");
    let error = grpc.unary::<Empty, Empty, _>(tonic::Request::new(Empty {}), path, tonic_prost::ProstCodec::default()).await.unwrap_err();
    assert_eq!(error.code(), Code::Internal);
    assert!(error.message().contains("internal error (id ") && !error.message().contains("handler bug"), "{}", error.message());
    ModelsClient::new(channel).list_models(ListModelsRequest {}).await.expect("the same connection still serves");

    // gRPC-Web: two requests on one HTTP/1.1 keep-alive connection.
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut sender, connection) = hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await.unwrap();
    tokio::spawn(connection);
    for (path, body, expected) in
        [("/xai_api.Test/Panic", frame(&Empty {}), 13), ("/xai_api.Models/ListModels", frame(&ListModelsRequest {}), 0)]
    {
        sender.ready().await.expect("the connection is still open");
        let response = sender.send_request(grpc_web_post(addr, path, body, &[])).await.unwrap();
        let (head, body) = response.into_parts();
        let body: Bytes = body.collect().await.unwrap().to_bytes();
        assert_eq!(grpc_status(&head, &body), Some(expected), "{path}: {head:?}");
    }
    gateway.shutdown().await;
}

#[tokio::test]
async fn a_storage_failure_reaches_the_caller_as_an_id_only() {
    let gateway = TestGateway::start(&[]).await;
    let database = rusqlite::Connection::open(gateway.data_dir.join("gateway.sqlite")).unwrap();
    database.execute_batch("DROP TABLE batch_requests; DROP TABLE batches;").unwrap();
    let error = BatchMgmtClient::new(gateway.channel().await).list_batches(ListBatchesRequest::default()).await.unwrap_err();
    assert_eq!(error.code(), Code::Internal);
    let message = error.message();
    assert!(message.starts_with("storage: internal error (id ") && message.ends_with("the gateway's log has details"), "{message}");
    assert!(!message.contains("table") && !message.contains("sqlite"), "{message}");
    gateway.stop().await;
}

#[tokio::test]
async fn silent_and_stalled_connections_are_closed() {
    // (A request head that stalls is hyper's: tonic enforces its 30 s header timeout and tests it.)
    let gateway = TestGateway::start(&[]).await;
    let addr = gateway.gateway.addr;
    let started = Instant::now();
    let mut silent = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut half_preface = tokio::net::TcpStream::connect(addr).await.unwrap();
    half_preface.write_all(b"PRI * HTTP/2.0\r\n").await.unwrap();
    // Meanwhile others are served at once.
    ModelsClient::new(gateway.channel().await).list_models(ListModelsRequest {}).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(2));
    for (name, stream) in [("silent", &mut silent), ("half an HTTP/2 preface", &mut half_preface)] {
        let mut buffer = [0u8; 256];
        let read = tokio::time::timeout(Duration::from_secs(15), stream.read(&mut buffer)).await;
        assert!(matches!(read, Ok(Ok(0)) | Ok(Err(_))), "{name}: the connection was not closed: {read:?}");
    }
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(9) && waited < Duration::from_secs(13), "closed after the 10 s opening timeout: {waited:?}");
    gateway.stop().await;
}

#[tokio::test]
async fn grpc_web_calls_over_the_total_cap_are_refused_too() {
    let gateway = TestGateway::start(&["--max-open-calls", "1", "--stream-rate", "10", "--min-answer-chars", "4000"]).await;
    let mut chat = ChatClient::new(gateway.channel().await);
    let mut open = chat.create_chat_completion_stream(chat_request("grok-3", "long")).await.unwrap().into_inner();
    open.message().await.unwrap().unwrap();
    let addr = gateway.gateway.addr;
    let (head, chunks, _) =
        common::http1_request(addr, grpc_web_post(addr, "/xai_api.Models/ListModels", frame(&ListModelsRequest {}), &[])).await;
    assert_eq!(grpc_status(&head, &chunks.concat()), Some(8));
    gateway.stop().await;
}
