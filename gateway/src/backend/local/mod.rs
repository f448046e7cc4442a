//! The `local` backend: deterministic answers computed in-process, state in SQLite, no network.
mod batch;
mod catalog;
mod chat;
mod images;
pub mod keys;
mod sample;
mod shapes;
mod text;

pub use shapes::{AnswerOptions, AnswerShape};

use std::{path::Path, time::Duration};

use futures_util::StreamExt;
use rand::Rng;
use tokio::task::JoinHandle;
use tonic::Status;

use super::{ApiKeySecret, Backend, BoxStream, Caller, Permission};
use crate::{
    proto::{
        AddBatchRequestsRequest, ApiKey, Batch, CancelBatchRequest, ChatCompletionChunk, ChatCompletionRequest, ChatCompletionResponse,
        CreateApiKeyRequest, CreateBatchRequest, DeleteApiKeyRequest, Empty, GetBatchRequest, ImageEditRequest, ImageGenerationModel,
        ImageRequest, ImageResponse, LanguageModel, ListApiKeysResponse, ListBatchResultsRequest, ListBatchResultsResponse,
        ListBatchesRequest, ListBatchesResponse, Model, RawSampleChunk, RawSampleRequest, RawSampleResponse,
    },
    store::{now_unix, Store},
};

/// A random id like `batch-3f9a…` (16 hex digits).
fn random_id(prefix: &str) -> String {
    format!("{prefix}-{:016x}", rand::rng().random::<u64>())
}

#[derive(Debug, Clone)]
pub struct LocalBackend {
    store: Store,
    /// Pause between streamed chunks (zero: no pacing).
    chunk_interval: Duration,
    /// How chat answers are written (length, shape, delta size).
    answers: AnswerOptions,
}

impl LocalBackend {
    /// `stream_rate`: streamed chunks per second (0 or less: as fast as possible); `answers`:
    /// how chat answers are written.
    pub fn new(store: Store, stream_rate: f64, answers: AnswerOptions) -> Self {
        let chunk_interval = if stream_rate > 0.0 { Duration::from_secs_f64(1.0 / stream_rate) } else { Duration::ZERO };
        Self { store, chunk_interval, answers }
    }

    /// Starts the batch worker; abort the handle to stop it.
    pub fn spawn_batch_worker(&self, interval: Duration) -> JoinHandle<()> {
        tokio::spawn(batch::work(self.clone(), interval))
    }

    /// See [`keys::load_or_create_server_key`].
    pub async fn server_key(&self, path: &Path) -> Result<ApiKeySecret, keys::ServerKeyError> {
        keys::load_or_create_server_key(&self.store, path).await
    }

    /// Sends `items` one by one, `chunk_interval` apart: item i leaves i intervals after the
    /// first (on a schedule, so timer granularity does not slow the pace down). Logs how long
    /// the stream took, which benchmarks compare with the client's time.
    fn paced<T: Send + 'static>(&self, items: Vec<T>) -> BoxStream<T> {
        let interval = self.chunk_interval;
        let count = items.len();
        let started = tokio::time::Instant::now();
        let stream = futures_util::stream::iter(items.into_iter().enumerate()).then(move |(index, item)| async move {
            if index > 0 && !interval.is_zero() {
                tokio::time::sleep_until(started + interval * index as u32).await;
            }
            if index + 1 == count {
                tracing::info!("stream sent {count} chunks in {} ms", started.elapsed().as_millis());
            }
            Ok(item)
        });
        Box::pin(stream)
    }

    fn run_chat(&self, request: ChatCompletionRequest) -> Result<ChatCompletionResponse, Status> {
        Ok(chat::complete(&request, &self.answers)?.into_response(random_id("chatcmpl"), now_unix()))
    }

    async fn run_create_image(&self, request: ImageRequest) -> Result<ImageResponse, Status> {
        let job = images::validate(&request.model, &request.prompt, request.n)?;
        let (width, height) = images::dimensions(request.aspect_ratio, request.resolution, None);
        let drawn = (0..job.count).map(|index| images::draw(&request.prompt, index, width, height)).collect();
        images::respond(job, drawn, request.format, &request.prompt, &self.store).await
    }
}

#[tonic::async_trait]
impl Backend for LocalBackend {
    fn name(&self) -> &'static str {
        "local"
    }

    async fn authorize(&self, api_key: Option<ApiKeySecret>, permission: Permission) -> Result<Caller, Status> {
        keys::authorize(&self.store, api_key, permission).await
    }

    async fn create_chat_completion(&self, _caller: &Caller, request: ChatCompletionRequest) -> Result<ChatCompletionResponse, Status> {
        tracing::info!("chat request: {}", chat::request_summary(&request));
        self.run_chat(request)
    }

    async fn create_chat_completion_stream(
        &self,
        _caller: &Caller,
        request: ChatCompletionRequest,
    ) -> Result<BoxStream<ChatCompletionChunk>, Status> {
        tracing::info!("chat stream request: {}", chat::request_summary(&request));
        let chunks = chat::complete(&request, &self.answers)?.into_chunks(random_id("chatcmpl"), now_unix());
        Ok(self.paced(chunks))
    }

    async fn create_image(&self, _caller: &Caller, request: ImageRequest) -> Result<ImageResponse, Status> {
        self.run_create_image(request).await
    }

    async fn edit_image(&self, _caller: &Caller, request: ImageEditRequest) -> Result<ImageResponse, Status> {
        let job = images::validate(&request.model, &request.prompt, request.n)?;
        if request.references.len() > images::MAX_REFERENCES {
            return Err(Status::invalid_argument(format!(
                "{} reference images: at most {} can be sent",
                request.references.len(),
                images::MAX_REFERENCES
            )));
        }
        // Every image's size is checked from its header before any is decoded.
        let source_url = request.image.as_ref().map(|image| image.url.as_str()).unwrap_or("");
        let source = images::load_bytes(source_url, &self.store).await?;
        let source_size = images::checked_dimensions(&source)?;
        let mut references = Vec::with_capacity(request.references.len());
        for (index, reference) in request.references.iter().enumerate() {
            let named = |status: Status| Status::invalid_argument(format!("reference image {}: {}", index + 1, status.message()));
            let bytes = images::load_bytes(&reference.url, &self.store).await.map_err(named)?;
            images::checked_dimensions(&bytes).map_err(named)?;
            references.push(bytes);
        }
        let size = images::dimensions(request.aspect_ratio, request.resolution, Some(source_size));
        let (prompt, count) = (request.prompt.clone(), job.count);
        let edited = images::off_the_workers(move || images::edit(&source, &references, &prompt, count, size)).await?;
        images::respond(job, edited, request.format, &request.prompt, &self.store).await
    }

    async fn list_models(&self, _caller: &Caller) -> Result<Vec<Model>, Status> {
        Ok(catalog::all_models())
    }

    async fn get_model(&self, _caller: &Caller, name: &str) -> Result<Model, Status> {
        catalog::find_model(name)
    }

    async fn list_language_models(&self, _caller: &Caller) -> Result<Vec<LanguageModel>, Status> {
        Ok(catalog::language_models())
    }

    async fn get_language_model(&self, _caller: &Caller, name: &str) -> Result<LanguageModel, Status> {
        catalog::find_language_model(name)
    }

    async fn list_image_generation_models(&self, _caller: &Caller) -> Result<Vec<ImageGenerationModel>, Status> {
        Ok(catalog::image_models())
    }

    async fn get_image_generation_model(&self, _caller: &Caller, name: &str) -> Result<ImageGenerationModel, Status> {
        catalog::find_image_model(name)
    }

    async fn get_api_key(&self, caller: &Caller) -> Result<ApiKey, Status> {
        let row = self.store.get_key(caller.api_key_id.clone()).await?;
        row.map(|row| keys::describe(&row)).ok_or_else(|| Status::unauthenticated("the API key was deleted during the call"))
    }

    async fn list_api_keys(&self, _caller: &Caller) -> Result<ListApiKeysResponse, Status> {
        let rows = self.store.list_keys().await?;
        Ok(ListApiKeysResponse { api_keys: rows.iter().map(keys::describe).collect() })
    }

    async fn create_api_key(&self, _caller: &Caller, request: CreateApiKeyRequest) -> Result<ApiKey, Status> {
        let (name, acls) = keys::validate_create(request)?;
        let (key, _secret) = keys::create(&self.store, name, acls).await?;
        tracing::info!("created API key {} ({})", key.api_key_id, key.redacted_api_key);
        Ok(key)
    }

    async fn delete_api_key(&self, _caller: &Caller, request: DeleteApiKeyRequest) -> Result<Empty, Status> {
        if self.store.delete_key(request.api_key_id.clone()).await? {
            tracing::info!("deleted API key {}", request.api_key_id);
            Ok(Empty {})
        } else {
            Err(Status::not_found(format!("API key {:?} not found", request.api_key_id)))
        }
    }

    async fn raw_sample(&self, _caller: &Caller, request: RawSampleRequest) -> Result<RawSampleResponse, Status> {
        Ok(sample::sample(&request)?.into_response(random_id("sample"), now_unix()))
    }

    async fn raw_sample_stream(&self, _caller: &Caller, request: RawSampleRequest) -> Result<BoxStream<RawSampleChunk>, Status> {
        let chunks = sample::sample(&request)?.into_chunks(random_id("sample"), now_unix());
        Ok(self.paced(chunks))
    }

    async fn create_batch(&self, caller: &Caller, request: CreateBatchRequest) -> Result<Batch, Status> {
        batch::create(&self.store, caller, request).await
    }

    async fn get_batch(&self, _caller: &Caller, request: GetBatchRequest) -> Result<Batch, Status> {
        batch::get(&self.store, &request.batch_id).await
    }

    async fn list_batches(&self, _caller: &Caller, request: ListBatchesRequest) -> Result<ListBatchesResponse, Status> {
        batch::list(&self.store, request).await
    }

    async fn cancel_batch(&self, _caller: &Caller, request: CancelBatchRequest) -> Result<Batch, Status> {
        batch::cancel(&self.store, &request.batch_id).await
    }

    async fn add_batch_requests(&self, _caller: &Caller, request: AddBatchRequestsRequest) -> Result<Batch, Status> {
        batch::add_requests(&self.store, request).await
    }

    async fn list_batch_results(&self, _caller: &Caller, request: ListBatchResultsRequest) -> Result<ListBatchResultsResponse, Status> {
        batch::list_results(&self.store, request).await
    }
}
