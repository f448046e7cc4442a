//! xai_api.Chat.
use tonic::{Request, Response, Status};

use super::Shared;
use crate::{
    backend::{BoxStream, Permission},
    metrics::TrackedStream,
    proto::{chat_server::Chat, ChatCompletionChunk, ChatCompletionRequest, ChatCompletionResponse},
};

pub struct ChatService(pub Shared);

#[tonic::async_trait]
impl Chat for ChatService {
    async fn create_chat_completion(&self, request: Request<ChatCompletionRequest>) -> Result<Response<ChatCompletionResponse>, Status> {
        let caller = self.0.authorize(&request, Permission::Chat).await?;
        self.0.backend.create_chat_completion(&caller, request.into_inner()).await.map(Response::new)
    }

    type CreateChatCompletionStreamStream = TrackedStream<BoxStream<ChatCompletionChunk>>;

    async fn create_chat_completion_stream(
        &self,
        request: Request<ChatCompletionRequest>,
    ) -> Result<Response<Self::CreateChatCompletionStreamStream>, Status> {
        let caller = self.0.authorize(&request, Permission::Chat).await?;
        let stream = self.0.backend.create_chat_completion_stream(&caller, request.into_inner()).await?;
        let method = "xai_api.Chat/CreateChatCompletionStream";
        Ok(Response::new(TrackedStream::new(stream, method, self.0.metrics.clone())))
    }
}
