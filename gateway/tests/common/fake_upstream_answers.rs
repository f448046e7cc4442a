//! The fake api.x.ai's answers, one impl per real service: fixed, recognisable messages, with
//! the faults `State` asks for (fail the next call, hold a stream open).
use std::sync::{atomic::Ordering, Arc};

use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status};
use xai_gateway::upstream_proto as up;

use super::{chat_chunks, png_base64, timestamp, usage, State};

fn language_model(name: &str, alias: &str) -> up::LanguageModel {
    up::LanguageModel {
        name: name.into(),
        version: "1.0".into(),
        input_modalities: vec![1, 2],
        output_modalities: vec![1],
        prompt_text_token_price: 30_000,
        prompt_image_token_price: 30_000,
        completion_text_token_price: 150_000,
        created: timestamp(1_690_000_000),
        max_prompt_length: 256_000,
        system_fingerprint: "fp_up".into(),
        aliases: vec![alias.into()],
        cached_prompt_token_price: 7_500,
        search_price: 250_000_000,
    }
}

fn image_model() -> up::ImageGenerationModel {
    up::ImageGenerationModel {
        name: "grok-2-image-1212".into(),
        version: "1.0".into(),
        input_modalities: vec![1],
        output_modalities: vec![2],
        created: timestamp(1_680_000_000),
        max_prompt_length: 1024,
        aliases: vec!["grok-2-image".into()],
        image_price: 700_000_000,
        ..Default::default()
    }
}

fn batch(num_requests: i64) -> up::Batch {
    up::Batch {
        batch_id: "batch-up-1".into(),
        name: "nightly".into(),
        create_time: timestamp(1_700_000_000),
        expire_time: timestamp(1_700_086_400),
        create_api_key_id: "key-upstream-1".into(),
        state: Some(up::BatchState { num_requests, num_pending: num_requests, ..Default::default() }),
        cost_breakdown: Some(up::BatchCostBreakdown { total_cost_usd_ticks: 0, endpoint_costs: vec![] }),
        ..Default::default()
    }
}

#[derive(Clone)]
pub(super) struct Fake(pub(super) Arc<State>);

type Answer<T> = Result<Response<T>, Status>;

#[tonic::async_trait]
impl up::chat_server::Chat for Fake {
    async fn get_completion(&self, request: Request<up::GetCompletionsRequest>) -> Answer<up::GetChatCompletionResponse> {
        self.0.begin("Chat/GetCompletion", &request)?;
        let tool_call = up::ToolCall {
            id: "call-1".into(),
            function: Some(up::FunctionCall { name: "get_weather".into(), arguments: r#"{"city":"Paris"}"#.into() }),
            ..Default::default()
        };
        let message = up::CompletionMessage {
            content: "Hello from upstream".into(),
            role: up::MessageRole::RoleAssistant as i32,
            tool_calls: vec![tool_call],
            reasoning_content: "The user greets me.".into(),
            ..Default::default()
        };
        Ok(Response::new(up::GetChatCompletionResponse {
            id: "resp-1".into(),
            outputs: vec![up::CompletionOutput {
                finish_reason: up::FinishReason::ReasonToolCalls as i32,
                index: 0,
                message: Some(message),
            }],
            created: timestamp(1_700_000_000),
            model: "grok-4-0709".into(),
            system_fingerprint: "fp_up".into(),
            usage: usage(5, 123_450),
            citations: vec![],
        }))
    }

    type GetCompletionChunkStream = ReceiverStream<Result<up::GetChatCompletionChunk, Status>>;

    async fn get_completion_chunk(&self, request: Request<up::GetCompletionsRequest>) -> Answer<Self::GetCompletionChunkStream> {
        self.0.begin("Chat/GetCompletionChunk", &request)?;
        let (sender, receiver) = mpsc::channel(4);
        let state = self.0.clone();
        tokio::spawn(async move {
            if state.hold_stream.load(Ordering::SeqCst) {
                let _ = sender.send(Ok(chat_chunks().remove(0))).await;
                // tonic drops the response stream (and so the receiver) when the client resets.
                sender.closed().await;
                state.stream_cancelled.store(true, Ordering::SeqCst);
                return;
            }
            for chunk in chat_chunks() {
                let _ = sender.send(Ok(chunk)).await;
            }
        });
        Ok(Response::new(ReceiverStream::new(receiver)))
    }
}

#[tonic::async_trait]
impl up::image_server::Image for Fake {
    async fn generate_image(&self, request: Request<up::GenerateImageRequest>) -> Answer<up::ImageResponse> {
        self.0.begin("Image/GenerateImage", &request)?;
        let image = if request.get_ref().format == 1 {
            up::generated_image::Image::Base64(format!("data:image/png;base64,{}", png_base64()))
        } else {
            up::generated_image::Image::Url("https://imgen.x.ai/fake/1.jpg".into())
        };
        Ok(Response::new(up::ImageResponse {
            images: vec![up::GeneratedImage { image: Some(image), respect_moderation: true }],
            model: "grok-2-image-1212".into(),
            usage: Some(up::SamplingUsage { cost_in_usd_ticks: Some(700_000_000), ..Default::default() }),
        }))
    }
}

#[tonic::async_trait]
impl up::models_server::Models for Fake {
    async fn list_language_models(&self, request: Request<up::Empty>) -> Answer<up::ListLanguageModelsResponse> {
        self.0.begin("Models/ListLanguageModels", &request)?;
        Ok(Response::new(up::ListLanguageModelsResponse {
            models: vec![language_model("grok-4-0709", "grok-4"), language_model("grok-3", "grok-3-latest")],
        }))
    }

    async fn get_language_model(&self, request: Request<up::GetModelRequest>) -> Answer<up::LanguageModel> {
        self.0.begin("Models/GetLanguageModel", &request)?;
        match request.get_ref().name.as_str() {
            "grok-4" | "grok-4-0709" => Ok(Response::new(language_model("grok-4-0709", "grok-4"))),
            other => Err(Status::not_found(format!("Language model {other} not found"))),
        }
    }

    async fn list_image_generation_models(&self, request: Request<up::Empty>) -> Answer<up::ListImageGenerationModelsResponse> {
        self.0.begin("Models/ListImageGenerationModels", &request)?;
        Ok(Response::new(up::ListImageGenerationModelsResponse { models: vec![image_model()] }))
    }

    async fn get_image_generation_model(&self, request: Request<up::GetModelRequest>) -> Answer<up::ImageGenerationModel> {
        self.0.begin("Models/GetImageGenerationModel", &request)?;
        match request.get_ref().name.as_str() {
            "grok-2-image" | "grok-2-image-1212" => Ok(Response::new(image_model())),
            other => Err(Status::not_found(format!("Image generation model {other} not found"))),
        }
    }
}

#[tonic::async_trait]
impl up::auth_server::Auth for Fake {
    async fn get_api_key_info(&self, request: Request<up::Empty>) -> Answer<up::ApiKey> {
        self.0.begin("Auth/get_api_key_info", &request)?;
        Ok(Response::new(up::ApiKey {
            redacted_api_key: "xai-...wxyz".into(),
            user_id: "user-7".into(),
            name: "laptop".into(),
            create_time: timestamp(1_650_000_000),
            team_id: "team-9".into(),
            acls: vec!["api-key:model:*".into(), "api-key:endpoint:*".into()],
            api_key_id: "key-upstream-1".into(),
            modify_time: timestamp(1_660_000_000),
            api_key_blocked: false,
            modified_by: "user-7".into(),
            disabled: false,
            team_blocked: true,
        }))
    }
}

fn sample_response(text: &str, finish_reason: up::FinishReason, usage: Option<up::SamplingUsage>) -> up::SampleTextResponse {
    up::SampleTextResponse {
        id: "sample-up-1".into(),
        choices: vec![up::SampleChoice { finish_reason: finish_reason as i32, index: 0, text: text.into() }],
        created: timestamp(1_700_000_200),
        model: "grok-3".into(),
        system_fingerprint: String::new(),
        usage,
    }
}

#[tonic::async_trait]
impl up::sample_server::Sample for Fake {
    async fn sample_text(&self, request: Request<up::SampleTextRequest>) -> Answer<up::SampleTextResponse> {
        self.0.begin("Sample/SampleText", &request)?;
        Ok(Response::new(sample_response(" upon a time", up::FinishReason::ReasonStop, usage(4, 400))))
    }

    type SampleTextStreamingStream = tokio_stream::Iter<std::vec::IntoIter<Result<up::SampleTextResponse, Status>>>;

    async fn sample_text_streaming(&self, request: Request<up::SampleTextRequest>) -> Answer<Self::SampleTextStreamingStream> {
        self.0.begin("Sample/SampleTextStreaming", &request)?;
        let messages = vec![
            Ok(sample_response(" upon", up::FinishReason::ReasonInvalid, usage(1, 100))),
            Ok(sample_response(" a time", up::FinishReason::ReasonStop, usage(3, 300))),
        ];
        Ok(Response::new(tokio_stream::iter(messages)))
    }
}

#[tonic::async_trait]
impl up::batch_mgmt_server::BatchMgmt for Fake {
    async fn create_batch(&self, request: Request<up::CreateBatchRequest>) -> Answer<up::Batch> {
        self.0.begin("BatchMgmt/CreateBatch", &request)?;
        Ok(Response::new(batch(0)))
    }

    async fn get_batch(&self, request: Request<up::GetBatchRequest>) -> Answer<up::Batch> {
        self.0.begin("BatchMgmt/GetBatch", &request)?;
        Ok(Response::new(batch(2)))
    }

    async fn list_batches(&self, request: Request<up::ListBatchesRequest>) -> Answer<up::ListBatchesResponse> {
        self.0.begin("BatchMgmt/ListBatches", &request)?;
        Ok(Response::new(up::ListBatchesResponse { batches: vec![batch(2)], pagination_token: Some("page-2".into()) }))
    }

    async fn cancel_batch(&self, request: Request<up::CancelBatchRequest>) -> Answer<up::Batch> {
        self.0.begin("BatchMgmt/CancelBatch", &request)?;
        Ok(Response::new(up::Batch { cancel_time: timestamp(1_700_000_500), ..batch(2) }))
    }

    async fn add_batch_requests(&self, request: Request<up::AddBatchRequestsRequest>) -> Answer<up::Empty> {
        self.0.begin("BatchMgmt/AddBatchRequests", &request)?;
        Ok(Response::new(up::Empty {}))
    }

    async fn list_batch_results(&self, request: Request<up::ListBatchResultsRequest>) -> Answer<up::ListBatchResultsResponse> {
        self.0.begin("BatchMgmt/ListBatchResults", &request)?;
        let completion = up::GetChatCompletionResponse {
            id: "resp-batch-1".into(),
            outputs: vec![up::CompletionOutput {
                finish_reason: up::FinishReason::ReasonStop as i32,
                index: 0,
                message: Some(up::CompletionMessage { content: "batched answer".into(), role: 2, ..Default::default() }),
            }],
            model: "grok-3".into(),
            usage: usage(2, 200),
            ..Default::default()
        };
        let results = vec![
            up::BatchResult {
                batch_request_id: "first".into(),
                outcome: Some(up::batch_result::Outcome::Response(up::BatchResultData {
                    response: Some(up::batch_result_data::Response::CompletionResponse(completion)),
                })),
            },
            up::BatchResult {
                batch_request_id: "second".into(),
                outcome: Some(up::batch_result::Outcome::Error(up::RpcStatus { code: 3, message: "prompt too long".into() })),
            },
        ];
        Ok(Response::new(up::ListBatchResultsResponse { results, pagination_token: None }))
    }
}
