//! The seam between the gRPC services and whatever answers them: one trait, one method per
//! RPC. `local` answers in-process; `xai` forwards to the real API (with the caller's
//! credential and remaining deadline).
pub mod local;
mod model_summary;
pub mod xai;

use std::{fmt, pin::Pin};

use futures_util::Stream;
use tonic::Status;

use crate::proto::{
    AddBatchRequestsRequest, ApiKey, Batch, CancelBatchRequest, ChatCompletionChunk, ChatCompletionRequest, ChatCompletionResponse,
    CreateApiKeyRequest, CreateBatchRequest, DeleteApiKeyRequest, Empty, GetBatchRequest, ImageEditRequest, ImageGenerationModel,
    ImageRequest, ImageResponse, LanguageModel, ListApiKeysResponse, ListBatchResultsRequest, ListBatchResultsResponse, ListBatchesRequest,
    ListBatchesResponse, Model, RawSampleChunk, RawSampleRequest, RawSampleResponse,
};

/// A server stream as a backend produces it.
pub type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

/// What a call needs its key to allow (the ACL strings documented in auth.proto).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    Chat,
    Image,
    Models,
    Batch,
    Sample,
    /// List/Create/DeleteApiKey.
    Keys,
    /// Any valid key (GetApiKey).
    AnyValidKey,
}

impl Permission {
    /// The ACL that grants it (besides "*"); None: every valid key.
    pub fn acl(self) -> Option<&'static str> {
        match self {
            Permission::Chat => Some("chat"),
            Permission::Image => Some("image"),
            Permission::Models => Some("models"),
            Permission::Batch => Some("batch"),
            Permission::Sample => Some("sample"),
            Permission::Keys => Some("keys"),
            Permission::AnyValidKey => None,
        }
    }
}

/// Every ACL a key may hold.
pub const KNOWN_ACLS: [&str; 7] = ["*", "chat", "image", "models", "batch", "sample", "keys"];

/// An API key secret. Debug and Display never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKeySecret(String);

impl ApiKeySecret {
    pub fn new(secret: String) -> Self {
        Self(secret)
    }

    /// The secret itself, for hashing or forwarding; never for logs.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `xai-…` plus the last 4 characters.
    pub fn redacted(&self) -> String {
        let tail: String = self.0.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
        format!("xai-…{tail}")
    }
}

impl fmt::Debug for ApiKeySecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKeySecret({})", self.redacted())
    }
}

/// The authenticated caller of one call.
#[derive(Debug, Clone)]
pub struct Caller {
    pub api_key_id: String,
    /// Kept for backends that forward the key upstream.
    pub credential: ApiKeySecret,
    /// When the caller's `grpc-timeout` runs out (None: no deadline); set by the services so
    /// that an upstream backend can forward the remaining time.
    pub deadline: Option<tokio::time::Instant>,
}

#[tonic::async_trait]
pub trait Backend: Send + Sync + 'static {
    /// Short name for logs ("local").
    fn name(&self) -> &'static str;

    /// Checks the call's key (None: the call carried none) against `permission`:
    /// UNAUTHENTICATED for missing or unknown keys, PERMISSION_DENIED when the key may not.
    async fn authorize(&self, api_key: Option<ApiKeySecret>, permission: Permission) -> Result<Caller, Status>;

    async fn create_chat_completion(&self, caller: &Caller, request: ChatCompletionRequest) -> Result<ChatCompletionResponse, Status>;
    async fn create_chat_completion_stream(
        &self,
        caller: &Caller,
        request: ChatCompletionRequest,
    ) -> Result<BoxStream<ChatCompletionChunk>, Status>;

    async fn create_image(&self, caller: &Caller, request: ImageRequest) -> Result<ImageResponse, Status>;
    async fn edit_image(&self, caller: &Caller, request: ImageEditRequest) -> Result<ImageResponse, Status>;

    async fn list_models(&self, caller: &Caller) -> Result<Vec<Model>, Status>;
    async fn get_model(&self, caller: &Caller, name: &str) -> Result<Model, Status>;
    async fn list_language_models(&self, caller: &Caller) -> Result<Vec<LanguageModel>, Status>;
    async fn get_language_model(&self, caller: &Caller, name: &str) -> Result<LanguageModel, Status>;
    async fn list_image_generation_models(&self, caller: &Caller) -> Result<Vec<ImageGenerationModel>, Status>;
    async fn get_image_generation_model(&self, caller: &Caller, name: &str) -> Result<ImageGenerationModel, Status>;

    async fn get_api_key(&self, caller: &Caller) -> Result<ApiKey, Status>;
    async fn list_api_keys(&self, caller: &Caller) -> Result<ListApiKeysResponse, Status>;
    async fn create_api_key(&self, caller: &Caller, request: CreateApiKeyRequest) -> Result<ApiKey, Status>;
    async fn delete_api_key(&self, caller: &Caller, request: DeleteApiKeyRequest) -> Result<Empty, Status>;

    async fn raw_sample(&self, caller: &Caller, request: RawSampleRequest) -> Result<RawSampleResponse, Status>;
    async fn raw_sample_stream(&self, caller: &Caller, request: RawSampleRequest) -> Result<BoxStream<RawSampleChunk>, Status>;

    async fn create_batch(&self, caller: &Caller, request: CreateBatchRequest) -> Result<Batch, Status>;
    async fn get_batch(&self, caller: &Caller, request: GetBatchRequest) -> Result<Batch, Status>;
    async fn list_batches(&self, caller: &Caller, request: ListBatchesRequest) -> Result<ListBatchesResponse, Status>;
    async fn cancel_batch(&self, caller: &Caller, request: CancelBatchRequest) -> Result<Batch, Status>;
    async fn add_batch_requests(&self, caller: &Caller, request: AddBatchRequestsRequest) -> Result<Batch, Status>;
    async fn list_batch_results(&self, caller: &Caller, request: ListBatchResultsRequest) -> Result<ListBatchResultsResponse, Status>;
}
