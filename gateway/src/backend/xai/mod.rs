//! The `xai` backend: every call goes to the real API (api.x.ai, TLS gRPC) with the caller's
//! key, translated between the service reference's names and messages and the real ones
//! (shared/reference/xai-upstream-wire.md; wire types in gateway/proto/upstream).
//!
//! Authorization is the upstream's business: the gateway only requires that a call carries a
//! key (the browser's, or the server-held one that the server-key layer attaches).

/// A generated upstream client on the shared channel, with the gateway's message limits.
macro_rules! upstream_client {
    ($upstream:expr, $client:ident) => {
        $client::new($upstream.channel.clone())
            .max_decoding_message_size($crate::backend::xai::channel::MAX_UPSTREAM_MESSAGE_BYTES)
            .max_encoding_message_size($crate::backend::xai::channel::MAX_UPSTREAM_MESSAGE_BYTES)
    };
}

mod auth;
mod batch;
mod call;
pub mod channel;
mod chat;
mod convert;
mod image;
mod models;
mod sample;

use std::path::Path;

use tonic::Status;

pub use channel::UpstreamUrl;

use super::{local::keys::ServerKeyError, ApiKeySecret, Backend, BoxStream, Caller, Permission};
use crate::proto::{
    AddBatchRequestsRequest, ApiKey, Batch, CancelBatchRequest, ChatCompletionChunk, ChatCompletionRequest, ChatCompletionResponse,
    CreateApiKeyRequest, CreateBatchRequest, DeleteApiKeyRequest, Empty, GetBatchRequest, ImageEditRequest, ImageGenerationModel,
    ImageRequest, ImageResponse, LanguageModel, ListApiKeysResponse, ListBatchResultsRequest, ListBatchResultsResponse, ListBatchesRequest,
    ListBatchesResponse, Model, RawSampleChunk, RawSampleRequest, RawSampleResponse,
};

/// Reads the server-held xAI key from `path` (trimmed; an empty file is an error).
pub fn read_server_key(path: &Path) -> Result<ApiKeySecret, ServerKeyError> {
    let shown = path.display().to_string();
    let contents = std::fs::read_to_string(path).map_err(|source| ServerKeyError::Read { path: shown.clone(), source })?;
    let secret = contents.trim();
    if secret.is_empty() {
        return Err(ServerKeyError::Empty { path: shown });
    }
    Ok(ApiKeySecret::new(secret.to_string()))
}

/// The upstream connection the translations call through.
#[derive(Clone, Debug)]
pub struct Upstream {
    channel: channel::UpstreamChannel,
}

#[derive(Clone, Debug)]
pub struct XaiBackend {
    upstream: Upstream,
    url: UpstreamUrl,
}

impl XaiBackend {
    /// Prepares the channel to `url`; nothing is sent until the first call.
    pub fn new(url: &UpstreamUrl) -> Result<Self, tonic::transport::Error> {
        Ok(Self { upstream: Upstream { channel: channel::connect(url)? }, url: url.clone() })
    }

    pub fn url(&self) -> &UpstreamUrl {
        &self.url
    }
}

#[tonic::async_trait]
impl Backend for XaiBackend {
    fn name(&self) -> &'static str {
        "xai"
    }

    async fn authorize(&self, api_key: Option<ApiKeySecret>, permission: Permission) -> Result<Caller, Status> {
        if permission == Permission::Keys {
            return Err(auth::keys_unimplemented());
        }
        let credential = api_key.ok_or_else(|| {
            Status::unauthenticated(
                "missing API key: type your xAI API key in Settings (sent as 'authorization: Bearer <key>'), \
                 or start the gateway with --server-key-file",
            )
        })?;
        Ok(Caller { api_key_id: credential.redacted(), credential, deadline: None })
    }

    async fn create_chat_completion(&self, caller: &Caller, request: ChatCompletionRequest) -> Result<ChatCompletionResponse, Status> {
        chat::complete(&self.upstream, caller, request).await
    }

    async fn create_chat_completion_stream(
        &self,
        caller: &Caller,
        request: ChatCompletionRequest,
    ) -> Result<BoxStream<ChatCompletionChunk>, Status> {
        chat::stream(&self.upstream, caller, request).await
    }

    async fn create_image(&self, caller: &Caller, request: ImageRequest) -> Result<ImageResponse, Status> {
        image::create(&self.upstream, caller, request).await
    }

    async fn edit_image(&self, caller: &Caller, request: ImageEditRequest) -> Result<ImageResponse, Status> {
        image::edit(&self.upstream, caller, request).await
    }

    async fn list_models(&self, caller: &Caller) -> Result<Vec<Model>, Status> {
        models::list_all(&self.upstream, caller).await
    }

    async fn get_model(&self, caller: &Caller, name: &str) -> Result<Model, Status> {
        models::get_any(&self.upstream, caller, name).await
    }

    async fn list_language_models(&self, caller: &Caller) -> Result<Vec<LanguageModel>, Status> {
        models::list_language(&self.upstream, caller).await
    }

    async fn get_language_model(&self, caller: &Caller, name: &str) -> Result<LanguageModel, Status> {
        models::get_language(&self.upstream, caller, name).await
    }

    async fn list_image_generation_models(&self, caller: &Caller) -> Result<Vec<ImageGenerationModel>, Status> {
        models::list_image(&self.upstream, caller).await
    }

    async fn get_image_generation_model(&self, caller: &Caller, name: &str) -> Result<ImageGenerationModel, Status> {
        models::get_image(&self.upstream, caller, name).await
    }

    async fn get_api_key(&self, caller: &Caller) -> Result<ApiKey, Status> {
        auth::get_api_key(&self.upstream, caller).await
    }

    async fn list_api_keys(&self, _caller: &Caller) -> Result<ListApiKeysResponse, Status> {
        Err(auth::keys_unimplemented())
    }

    async fn create_api_key(&self, _caller: &Caller, _request: CreateApiKeyRequest) -> Result<ApiKey, Status> {
        Err(auth::keys_unimplemented())
    }

    async fn delete_api_key(&self, _caller: &Caller, _request: DeleteApiKeyRequest) -> Result<Empty, Status> {
        Err(auth::keys_unimplemented())
    }

    async fn raw_sample(&self, caller: &Caller, request: RawSampleRequest) -> Result<RawSampleResponse, Status> {
        sample::sample(&self.upstream, caller, request).await
    }

    async fn raw_sample_stream(&self, caller: &Caller, request: RawSampleRequest) -> Result<BoxStream<RawSampleChunk>, Status> {
        sample::stream(&self.upstream, caller, request).await
    }

    async fn create_batch(&self, caller: &Caller, request: CreateBatchRequest) -> Result<Batch, Status> {
        batch::create(&self.upstream, caller, request).await
    }

    async fn get_batch(&self, caller: &Caller, request: GetBatchRequest) -> Result<Batch, Status> {
        batch::get(&self.upstream, caller, request).await
    }

    async fn list_batches(&self, caller: &Caller, request: ListBatchesRequest) -> Result<ListBatchesResponse, Status> {
        batch::list(&self.upstream, caller, request).await
    }

    async fn cancel_batch(&self, caller: &Caller, request: CancelBatchRequest) -> Result<Batch, Status> {
        batch::cancel(&self.upstream, caller, request).await
    }

    async fn add_batch_requests(&self, caller: &Caller, request: AddBatchRequestsRequest) -> Result<Batch, Status> {
        batch::add_requests(&self.upstream, caller, request).await
    }

    async fn list_batch_results(&self, caller: &Caller, request: ListBatchResultsRequest) -> Result<ListBatchResultsResponse, Status> {
        batch::list_results(&self.upstream, caller, request).await
    }
}
