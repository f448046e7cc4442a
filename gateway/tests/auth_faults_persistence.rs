//! Authentication and ACLs, fault injection, stream cancellation, and restarts.
mod common;

use std::time::Duration;

use common::{chat_request, with_fault, with_key, TestGateway};
use tonic::{Code, Request};
use xai_gateway::proto::{
    auth_client::AuthClient, batch_mgmt_client::BatchMgmtClient, chat_client::ChatClient, generated_image, image_client::ImageClient,
    models_client::ModelsClient, ChatCompletionRequest, CreateApiKeyRequest, CreateBatchRequest, DeleteApiKeyRequest, GetApiKeyRequest,
    GetBatchRequest, ImageRequest, ListApiKeysRequest, ListModelsRequest,
};

fn question() -> ChatCompletionRequest {
    chat_request("grok-3", "Tell me about streams")
}

#[tokio::test]
async fn keys_are_checked_and_never_echoed() {
    let gateway = TestGateway::start(&["--no-server-key"]).await;
    let mut models = ModelsClient::new(gateway.channel().await);
    let missing = models.list_models(ListModelsRequest {}).await.unwrap_err();
    assert_eq!(missing.code(), Code::Unauthenticated);
    assert!(missing.message().contains("missing"));

    let wrong = "xai-thisIsNotARealKeyAtAllButItLooksLikeOneSoItMayLeak";
    let unknown = models.list_models(with_key(ListModelsRequest {}, wrong)).await.unwrap_err();
    assert_eq!(unknown.code(), Code::Unauthenticated);
    assert!(unknown.message().contains("unknown"));
    assert!(!unknown.message().contains(wrong), "{}", unknown.message());

    let mut malformed = Request::new(ListModelsRequest {});
    malformed.metadata_mut().insert("authorization", "Basic dXNlcjpwYXNz".parse().unwrap());
    let error = models.list_models(malformed).await.unwrap_err();
    assert_eq!(error.code(), Code::Unauthenticated);
    assert!(error.message().contains("malformed") && !error.message().contains("dXNlcjpwYXNz"));

    let server_key = gateway.server_key();
    models.list_models(with_key(ListModelsRequest {}, &server_key)).await.unwrap();
    gateway.stop().await;
}

#[tokio::test]
async fn acls_limit_what_a_key_may_do() {
    let gateway = TestGateway::start(&[]).await;
    let channel = gateway.channel().await;
    let mut auth = AuthClient::new(channel.clone());
    let limited =
        auth.create_api_key(CreateApiKeyRequest { name: "models only".into(), acls: vec!["models".into()] }).await.unwrap().into_inner();

    ModelsClient::new(channel.clone()).list_models(with_key(ListModelsRequest {}, &limited.api_key)).await.unwrap();
    let denied = ChatClient::new(channel.clone()).create_chat_completion(with_key(question(), &limited.api_key)).await.unwrap_err();
    assert_eq!(denied.code(), Code::PermissionDenied);
    assert!(denied.message().contains("chat"));
    let described = auth.get_api_key(with_key(GetApiKeyRequest {}, &limited.api_key)).await.unwrap().into_inner();
    assert_eq!(described.api_key_id, limited.api_key_id);
    let denied = auth.list_api_keys(with_key(ListApiKeysRequest {}, &limited.api_key)).await.unwrap_err();
    assert_eq!(denied.code(), Code::PermissionDenied);

    // A typed wrong key must not fall back to the server-held one.
    let wrong = ModelsClient::new(channel.clone()).list_models(with_key(ListModelsRequest {}, "xai-wrong")).await.unwrap_err();
    assert_eq!(wrong.code(), Code::Unauthenticated);

    auth.delete_api_key(DeleteApiKeyRequest { api_key_id: limited.api_key_id }).await.unwrap();
    let gone = ModelsClient::new(channel).list_models(with_key(ListModelsRequest {}, &limited.api_key)).await.unwrap_err();
    assert_eq!(gone.code(), Code::Unauthenticated);
    gateway.stop().await;
}

#[tokio::test]
async fn injected_statuses_and_delays() {
    let gateway = TestGateway::start(&["--enable-faults", "--fault", "Models/GetModel:status=not_found"]).await;
    let channel = gateway.channel().await;
    let mut models = ModelsClient::new(channel.clone());
    let error = models.list_models(with_fault(ListModelsRequest {}, "status=14")).await.unwrap_err();
    assert_eq!(error.code(), Code::Unavailable);
    assert!(error.message().contains("injected fault"));
    let error = models.list_models(with_fault(ListModelsRequest {}, "trailers-only=resource_exhausted")).await.unwrap_err();
    assert_eq!(error.code(), Code::ResourceExhausted);
    let error = models.get_model(xai_gateway::proto::GetModelRequest { name: "grok-4".into() }).await.unwrap_err();
    assert_eq!(error.code(), Code::NotFound, "--fault flag applies to its method");
    models.list_models(ListModelsRequest {}).await.expect("other methods untouched");

    let started = std::time::Instant::now();
    models.list_models(with_fault(ListModelsRequest {}, "delay-ms=150")).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(150));

    let error = models.list_models(with_fault(ListModelsRequest {}, "explode")).await.unwrap_err();
    assert_eq!(error.code(), Code::InvalidArgument);
    gateway.stop().await;
}

#[tokio::test]
async fn faults_are_ignored_unless_enabled() {
    let gateway = TestGateway::start(&[]).await;
    let mut models = ModelsClient::new(gateway.channel().await);
    models.list_models(with_fault(ListModelsRequest {}, "status=14")).await.expect("x-fault ignored");
    gateway.stop().await;
}

#[tokio::test]
async fn cut_after_breaks_the_stream_without_status() {
    let gateway = TestGateway::start(&["--enable-faults"]).await;
    let mut chat = ChatClient::new(gateway.channel().await);
    let mut stream = chat.create_chat_completion_stream(with_fault(question(), "cut-after=3")).await.unwrap().into_inner();
    let mut received = 0;
    let error = loop {
        match stream.message().await {
            Ok(Some(_)) => received += 1,
            Ok(None) => panic!("the stream must not end cleanly"),
            Err(status) => break status,
        }
    };
    assert_eq!(received, 3);
    assert_ne!(error.code(), Code::Ok);
    gateway.stop().await;
}

#[tokio::test]
async fn idle_after_stalls_the_stream() {
    let gateway = TestGateway::start(&["--enable-faults"]).await;
    let mut chat = ChatClient::new(gateway.channel().await);
    let mut stream = chat.create_chat_completion_stream(with_fault(question(), "idle-after=2")).await.unwrap().into_inner();
    assert!(stream.message().await.unwrap().is_some());
    assert!(stream.message().await.unwrap().is_some());
    let stalled = tokio::time::timeout(Duration::from_millis(300), stream.message()).await;
    assert!(stalled.is_err(), "no third message");
    drop(stream);
    gateway.stop().await;
}

#[tokio::test]
async fn dropped_streams_are_counted_as_cancelled() {
    let gateway = TestGateway::start(&["--stream-rate", "50"]).await;
    let mut chat = ChatClient::new(gateway.channel().await);
    let mut stream = chat.create_chat_completion_stream(question()).await.unwrap().into_inner();
    assert!(stream.message().await.unwrap().is_some());
    assert!(stream.message().await.unwrap().is_some());
    drop(stream);
    let mut cancelled = 0;
    for _ in 0..50 {
        cancelled = gateway.gateway.metrics.streams_cancelled();
        if cancelled > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(cancelled, 1);
    assert_eq!(gateway.gateway.metrics.streams_completed(), 0);
    gateway.stop().await;
}

#[tokio::test]
async fn a_restart_loses_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let first = TestGateway::start_in(temp.path(), &[]).await;
    let channel = first.channel().await;
    let key = AuthClient::new(channel.clone())
        .create_api_key(CreateApiKeyRequest { name: "survivor".into(), acls: vec![] })
        .await
        .unwrap()
        .into_inner();
    let batch = BatchMgmtClient::new(channel.clone())
        .create_batch(CreateBatchRequest { name: "kept".into(), ..Default::default() })
        .await
        .unwrap()
        .into_inner();
    let image = ImageClient::new(channel.clone())
        .create_image(ImageRequest { prompt: "a harbour".into(), model: "grok-2-image".into(), ..Default::default() })
        .await
        .unwrap()
        .into_inner();
    let Some(generated_image::Image::Url(url)) = image.images[0].image.clone() else { panic!("URL") };
    let server_key = first.server_key();
    drop(channel);
    first.stop().await;

    let second = TestGateway::start_in(temp.path(), &[]).await;
    assert_eq!(second.server_key(), server_key, "the server key is reused");
    let channel = second.channel().await;
    let described = AuthClient::new(channel.clone()).get_api_key(with_key(GetApiKeyRequest {}, &key.api_key)).await.unwrap().into_inner();
    assert_eq!(described.name, "survivor");
    let kept = BatchMgmtClient::new(channel).get_batch(GetBatchRequest { batch_id: batch.batch_id }).await.unwrap().into_inner();
    assert_eq!(kept.name, "kept");
    let (status, content_type, _) = common::http_get(second.gateway.addr, &url).await;
    assert_eq!((status.as_u16(), content_type.as_str()), (200, "image/png"));
    second.stop().await;
}
