//! The typed API facade. It owns the gRPC-Web channel (created once per endpoint and reused) and
//! the auth interceptor, sets a deadline on every call, and turns every failure into an
//! [`AppError`]. Every call the app makes goes out through [`Api`].
mod context;
pub mod endpoint;
mod interceptor;
pub mod limits;
mod stream;
pub mod transport;

use std::{cell::RefCell, future::Future, rc::Rc, time::Duration};

use tonic::{service::interceptor::InterceptedService, Code, Status};

pub use context::{provide_api, use_api};
pub use interceptor::BearerAuth;
pub use limits::{RequestKind, DEFAULT_MAX_REQUEST_BYTES};
pub use stream::ResponseStream;

use crate::{
    error::{AppError, Fault, Origin},
    proto::{
        auth_client::AuthClient, batch_mgmt_client::BatchMgmtClient, chat_client::ChatClient, image_client::ImageClient,
        models_client::ModelsClient, sample_client::SampleClient, *,
    },
    settings::Settings,
};
use transport::Transport;

/// The channel every generated client is built on: the transport behind the auth interceptor.
pub type Channel = InterceptedService<Transport, BearerAuth>;

/// Deadline of unary calls (`grpc-timeout`). Image generation is the slowest of them.
pub const UNARY_DEADLINE: Duration = Duration::from_secs(60);
/// Deadline of streaming calls: long, because tonic servers only bound the time to the response
/// headers with it; a stream's idle limit is the caller's watchdog.
pub const STREAM_DEADLINE: Duration = Duration::from_secs(30 * 60);
/// Largest message the app accepts: ten 2K images in base64 exceed tonic's 4 MiB default.
const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;
/// How long past its deadline a unary call may go unanswered before the app gives up on it
/// itself: the deadline goes to the server as `grpc-timeout`, but an endpoint that ignores it
/// (or a proxy that holds the connection) must not leave a page waiting for ever.
const UNARY_GRACE: Duration = Duration::from_secs(5);

/// The API facade. Cheap to clone; clones share the channel.
#[derive(Clone)]
pub struct Api {
    settings: Settings,
    channel: Rc<RefCell<Option<(String, Transport)>>>,
    max_request_bytes: u64,
}

impl Api {
    /// A facade that reads the endpoint and key from the settings at each call.
    pub fn new(settings: Settings) -> Self {
        Api { settings, channel: Rc::new(RefCell::new(None)), max_request_bytes: DEFAULT_MAX_REQUEST_BYTES }
    }

    /// The same facade, refusing request bodies over `limit` bytes (the gateway's
    /// `--max-request-bytes`, from the deployment's config).
    pub fn with_max_request_bytes(mut self, limit: u64) -> Self {
        self.max_request_bytes = limit;
        self
    }

    /// Refuses a request the gateway would refuse for its size, before anything is sent.
    pub fn check_size(&self, message: &impl prost::Message, kind: RequestKind) -> Result<(), AppError> {
        limits::check_request_bytes(limits::request_bytes(message), self.max_request_bytes, kind)
    }

    /// The endpoint calls go to (normalized), e.g. to resolve the relative image URLs it answers.
    pub fn endpoint(&self) -> Result<String, AppError> {
        endpoint::normalize(&self.settings.endpoint()).map_err(|error| AppError::client(Code::InvalidArgument, error.to_string()))
    }

    /// The channel for the current endpoint and key; the transport is reused while the endpoint
    /// stays the same.
    fn channel(&self) -> Result<Channel, AppError> {
        let endpoint = self.endpoint()?;
        let mut cached = self.channel.borrow_mut();
        let transport = match cached.as_ref() {
            Some((url, transport)) if *url == endpoint => transport.clone(),
            _ => {
                let transport = transport::connect(&endpoint);
                *cached = Some((endpoint, transport.clone()));
                transport
            }
        };
        Ok(InterceptedService::new(transport, BearerAuth::new(self.settings.api_key())))
    }

    /// Turns a failed call into the app's error, removing the key from any message.
    fn error(&self, status: &Status) -> AppError {
        let key = self.settings.api_key();
        let secrets: Vec<&str> = key.as_ref().map(|key| key.expose()).into_iter().collect();
        AppError::from_call(status, transport::transport_failure(status), &secrets)
    }

    /// Runs one unary call with a deadline, which the app also enforces itself.
    async fn unary<Req, Resp, Fut>(&self, message: Req, call: impl FnOnce(Channel, tonic::Request<Req>) -> Fut) -> Result<Resp, AppError>
    where
        Req: prost::Message,
        Fut: Future<Output = Result<tonic::Response<Resp>, Status>>,
    {
        self.check_size(&message, RequestKind::Other)?;
        let mut request = tonic::Request::new(message);
        request.set_timeout(UNARY_DEADLINE);
        let limit = UNARY_DEADLINE + UNARY_GRACE;
        match within(limit, call(self.channel()?, request)).await {
            Some(Ok(response)) => Ok(response.into_inner()),
            Some(Err(status)) => Err(self.error(&status)),
            None => Err(stalled(format!("no complete answer arrived in {} s", limit.as_secs()))),
        }
    }

    /// Opens one server stream with a deadline. The response headers must come within the
    /// stream's idle limit; after that the stream's own watchdog takes over.
    async fn stream<Req, Item, Fut>(
        &self,
        message: Req,
        call: impl FnOnce(Channel, tonic::Request<Req>) -> Fut,
    ) -> Result<ResponseStream<Item>, AppError>
    where
        Req: prost::Message,
        Fut: Future<Output = Result<tonic::Response<tonic::Streaming<Item>>, Status>>,
    {
        self.check_size(&message, RequestKind::Other)?;
        let mut request = tonic::Request::new(message);
        request.set_timeout(STREAM_DEADLINE);
        let idle_limit = self.settings.idle_limit();
        match within(idle_limit, call(self.channel()?, request)).await {
            Some(Ok(response)) => Ok(ResponseStream::new(response.into_inner(), self.clone(), idle_limit)),
            Some(Err(status)) => Err(self.error(&status)),
            None => Err(stream::idle_error(idle_limit)),
        }
    }

    // --- Models ---------------------------------------------------------------------------

    /// Every model, language and image alike.
    pub async fn list_models(&self) -> Result<Vec<Model>, AppError> {
        let response =
            self.unary(ListModelsRequest {}, |channel, request| async move { models(channel).list_models(request).await }).await?;
        Ok(response.models)
    }

    /// One model by name or alias.
    pub async fn get_model(&self, name: String) -> Result<Model, AppError> {
        self.unary(GetModelRequest { name }, |channel, request| async move { models(channel).get_model(request).await }).await
    }

    /// The language models with their prices.
    pub async fn list_language_models(&self) -> Result<Vec<LanguageModel>, AppError> {
        let response = self
            .unary(ListLanguageModelsRequest {}, |channel, request| async move { models(channel).list_language_models(request).await })
            .await?;
        Ok(response.models)
    }

    /// One language model by name or alias.
    pub async fn get_language_model(&self, name: String) -> Result<LanguageModel, AppError> {
        self.unary(GetLanguageModelRequest { name }, |channel, request| async move { models(channel).get_language_model(request).await })
            .await
    }

    /// The image generation models with their prices.
    pub async fn list_image_models(&self) -> Result<Vec<ImageGenerationModel>, AppError> {
        let response = self
            .unary(ListImageGenerationModelsRequest {}, |channel, request| async move {
                models(channel).list_image_generation_models(request).await
            })
            .await?;
        Ok(response.models)
    }

    /// One image generation model by name or alias.
    pub async fn get_image_model(&self, name: String) -> Result<ImageGenerationModel, AppError> {
        self.unary(GetImageGenerationModelRequest { name }, |channel, request| async move {
            models(channel).get_image_generation_model(request).await
        })
        .await
    }

    // --- Chat -----------------------------------------------------------------------------

    /// A whole chat answer (unary).
    pub async fn chat(&self, request: ChatCompletionRequest) -> Result<ChatCompletionResponse, AppError> {
        self.check_size(&request, RequestKind::ChatTurn)?;
        self.unary(request, |channel, request| async move {
            ChatClient::new(channel).max_decoding_message_size(MAX_MESSAGE_BYTES).create_chat_completion(request).await
        })
        .await
    }

    /// A chat answer as a stream of deltas.
    pub async fn chat_stream(&self, request: ChatCompletionRequest) -> Result<ResponseStream<ChatCompletionChunk>, AppError> {
        self.check_size(&request, RequestKind::ChatTurn)?;
        self.stream(request, |channel, request| async move { ChatClient::new(channel).create_chat_completion_stream(request).await }).await
    }

    // --- Image ----------------------------------------------------------------------------

    /// Draws images from a prompt.
    pub async fn create_image(&self, request: ImageRequest) -> Result<ImageResponse, AppError> {
        self.unary(request, |channel, request| async move { image(channel).create_image(request).await }).await
    }

    /// Draws new images from a source image and a prompt.
    pub async fn edit_image(&self, request: ImageEditRequest) -> Result<ImageResponse, AppError> {
        self.check_size(&request, RequestKind::ImageEdit)?;
        self.unary(request, |channel, request| async move { image(channel).edit_image(request).await }).await
    }

    // --- Auth -----------------------------------------------------------------------------

    /// The key the calls are made with.
    pub async fn get_api_key(&self) -> Result<ApiKey, AppError> {
        self.unary(GetApiKeyRequest {}, |channel, request| async move { AuthClient::new(channel).get_api_key(request).await }).await
    }

    /// The team's keys.
    pub async fn list_api_keys(&self) -> Result<Vec<ApiKey>, AppError> {
        let response = self
            .unary(ListApiKeysRequest {}, |channel, request| async move { AuthClient::new(channel).list_api_keys(request).await })
            .await?;
        Ok(response.api_keys)
    }

    /// Creates a key; the answer carries its secret once.
    pub async fn create_api_key(&self, name: String, acls: Vec<String>) -> Result<ApiKey, AppError> {
        self.unary(
            CreateApiKeyRequest { name, acls },
            |channel, request| async move { AuthClient::new(channel).create_api_key(request).await },
        )
        .await
    }

    /// Deletes a key.
    pub async fn delete_api_key(&self, api_key_id: String) -> Result<(), AppError> {
        self.unary(
            DeleteApiKeyRequest { api_key_id },
            |channel, request| async move { AuthClient::new(channel).delete_api_key(request).await },
        )
        .await
        .map(|_: Empty| ())
    }

    // --- Sample ---------------------------------------------------------------------------

    /// A whole raw completion.
    pub async fn raw_sample(&self, request: RawSampleRequest) -> Result<RawSampleResponse, AppError> {
        self.unary(request, |channel, request| async move { SampleClient::new(channel).raw_sample(request).await }).await
    }

    /// A raw completion as a stream.
    pub async fn raw_sample_stream(&self, request: RawSampleRequest) -> Result<ResponseStream<RawSampleChunk>, AppError> {
        self.stream(request, |channel, request| async move { SampleClient::new(channel).raw_sample_stream(request).await }).await
    }

    // --- Batches --------------------------------------------------------------------------

    /// Creates a batch with its first requests.
    pub async fn create_batch(&self, request: CreateBatchRequest) -> Result<Batch, AppError> {
        self.check_size(&request, RequestKind::Batch)?;
        self.unary(request, |channel, request| async move { BatchMgmtClient::new(channel).create_batch(request).await }).await
    }

    /// One batch with its progress.
    pub async fn get_batch(&self, batch_id: String) -> Result<Batch, AppError> {
        self.unary(GetBatchRequest { batch_id }, |channel, request| async move { BatchMgmtClient::new(channel).get_batch(request).await })
            .await
    }

    /// A page of batches, newest first.
    pub async fn list_batches(&self, limit: i32, pagination_token: String) -> Result<ListBatchesResponse, AppError> {
        self.unary(ListBatchesRequest { limit, pagination_token }, |channel, request| async move {
            BatchMgmtClient::new(channel).list_batches(request).await
        })
        .await
    }

    /// Cancels a batch's pending requests.
    pub async fn cancel_batch(&self, batch_id: String) -> Result<Batch, AppError> {
        self.unary(
            CancelBatchRequest { batch_id },
            |channel, request| async move { BatchMgmtClient::new(channel).cancel_batch(request).await },
        )
        .await
    }

    /// Adds requests to a batch; the answer has the new counts.
    pub async fn add_batch_requests(&self, batch_id: String, batch_requests: Vec<BatchRequest>) -> Result<Batch, AppError> {
        let message = AddBatchRequestsRequest { batch_id, batch_requests };
        self.check_size(&message, RequestKind::Batch)?;
        self.unary(message, |channel, request| async move { BatchMgmtClient::new(channel).add_batch_requests(request).await }).await
    }

    /// A page of a batch's results.
    pub async fn list_batch_results(
        &self,
        batch_id: String,
        limit: i32,
        pagination_token: String,
    ) -> Result<ListBatchResultsResponse, AppError> {
        let message = ListBatchResultsRequest { batch_id, limit, pagination_token };
        self.unary(message, |channel, request| async move {
            BatchMgmtClient::new(channel).max_decoding_message_size(MAX_MESSAGE_BYTES).list_batch_results(request).await
        })
        .await
    }
}

/// The future's output, or None if it takes longer than `limit` (it is then dropped, which
/// aborts its fetch).
async fn within<T>(limit: Duration, future: impl Future<Output = T>) -> Option<T> {
    use futures_util::future::{select, Either};
    let timer = gloo_timers::future::sleep(limit);
    match select(Box::pin(future), Box::pin(timer)).await {
        Either::Left((output, _)) => Some(output),
        Either::Right(_) => None,
    }
}

/// The error of a call that got no (complete) answer in time.
fn stalled(detail: String) -> AppError {
    AppError { code: Code::DeadlineExceeded, origin: Origin::Fault(Fault::Stalled), detail }
}

fn models(channel: Channel) -> ModelsClient<Channel> {
    ModelsClient::new(channel)
}

fn image(channel: Channel) -> ImageClient<Channel> {
    ImageClient::new(channel).max_decoding_message_size(MAX_MESSAGE_BYTES)
}
