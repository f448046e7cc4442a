//! Backend `xai`: the gateway in front of a fake api.x.ai that serves the REAL RPC names
//! (tests/common/fake_upstream.rs). Every reference call must reach the upstream under its
//! real name with its message translated, and the answer must come back translated.
mod common;
#[path = "common/fake_upstream.rs"]
mod fake_upstream;

use common::{with_key, TestGateway};
use fake_upstream::FakeUpstream;
use xai_gateway::{
    proto::{
        auth_client::AuthClient, batch_mgmt_client::BatchMgmtClient, batch_request, batch_result, chat_client::ChatClient,
        content_part::Part, generated_image, image_client::ImageClient, models_client::ModelsClient, sample_client::SampleClient,
        BatchRequest, BatchStatus, ChatCompletionRequest, ContentPart, CreateBatchRequest, FinishReason, FunctionCall, FunctionDefinition,
        GetApiKeyRequest, GetImageGenerationModelRequest, GetLanguageModelRequest, GetModelRequest, ImageAspectRatio, ImageDetail,
        ImageEditRequest, ImageFormat, ImageRequest, ImageResolution, ImageUrl, ListBatchResultsRequest, ListModelsRequest, Message,
        ModelKind, RawSampleRequest, ReasoningEffort, Tool, ToolCall,
    },
    upstream_proto as up,
};

const KEY: &str = "xai-caller-key-0123456789";

async fn gateway_for(upstream: &FakeUpstream) -> TestGateway {
    TestGateway::start(&["--backend", "xai", "--upstream-url", &upstream.url()]).await
}

fn message(role: &str, content: &str) -> Message {
    Message { role: role.into(), content: content.into(), ..Default::default() }
}

fn full_chat_request() -> ChatCompletionRequest {
    let image = ImageUrl { url: "data:image/png;base64,iVBORw0KGgo=".into(), detail: ImageDetail::High as i32 };
    let user = Message {
        parts: vec![ContentPart { part: Some(Part::ImageUrl(image)) }, ContentPart { part: Some(Part::Text("and a text part".into())) }],
        ..message("user", "What is in this picture?")
    };
    let assistant = Message {
        reasoning_content: "earlier thought".into(),
        tool_calls: vec![ToolCall { id: "call-0".into(), function: Some(FunctionCall { name: "lookup".into(), arguments: "{}".into() }) }],
        ..message("assistant", "Earlier answer")
    };
    let tool = Message { tool_call_id: "call-0".into(), ..message("tool", r#"{"temp":21}"#) };
    ChatCompletionRequest {
        model: "grok-4".into(),
        messages: vec![message("system", "Be brief."), user, assistant, tool],
        temperature: Some(0.5),
        top_p: Some(0.9),
        max_tokens: Some(100),
        stop: vec!["END".into()],
        seed: Some(7),
        reasoning_effort: ReasoningEffort::High as i32,
        n: Some(1),
        tools: vec![Tool {
            function: Some(FunctionDefinition {
                name: "get_weather".into(),
                description: "Weather".into(),
                parameters: r#"{"type":"object"}"#.into(),
            }),
        }],
        tool_choice: "required".into(),
        frequency_penalty: Some(0.1),
        presence_penalty: Some(0.2),
        user: "user-42".into(),
    }
}

#[tokio::test]
async fn unary_chat_is_translated_both_ways() {
    let upstream = FakeUpstream::start().await;
    let gateway = gateway_for(&upstream).await;
    let answer =
        ChatClient::new(gateway.channel().await).create_chat_completion(with_key(full_chat_request(), KEY)).await.unwrap().into_inner();

    let seen = upstream.state.last("Chat/GetCompletion");
    assert_eq!(seen.header("authorization").as_deref(), Some(format!("Bearer {KEY}").as_str()));
    let sent: up::GetCompletionsRequest = seen.decode();
    assert_eq!(sent.model, "grok-4");
    let roles: Vec<i32> = sent.messages.iter().map(|message| message.role).collect();
    assert_eq!(roles, [3, 1, 2, 5], "system, user, assistant, tool in the real numbering");
    let user_parts: Vec<_> = sent.messages[1].content.iter().map(|content| content.content.clone().unwrap()).collect();
    assert_eq!(user_parts[0], up::content::Content::Text("What is in this picture?".into()));
    assert_eq!(
        user_parts[1],
        up::content::Content::ImageUrl(up::ImageUrlContent { image_url: "data:image/png;base64,iVBORw0KGgo=".into(), detail: 3 })
    );
    assert_eq!(user_parts[2], up::content::Content::Text("and a text part".into()));
    assert_eq!(sent.messages[2].reasoning_content.as_deref(), Some("earlier thought"));
    assert_eq!(sent.messages[2].tool_calls[0].function.as_ref().unwrap().name, "lookup");
    assert_eq!(sent.messages[3].tool_call_id.as_deref(), Some("call-0"));
    assert_eq!(sent.messages[0].tool_call_id, None, "empty strings stay unset");
    assert_eq!((sent.temperature, sent.top_p, sent.max_tokens, sent.seed, sent.n), (Some(0.5), Some(0.9), Some(100), Some(7), Some(1)));
    assert_eq!((sent.frequency_penalty, sent.presence_penalty), (Some(0.1), Some(0.2)));
    assert_eq!(sent.stop, ["END"]);
    assert_eq!(sent.user, "user-42");
    assert_eq!(sent.reasoning_effort, Some(up::ReasoningEffort::EffortHigh as i32));
    let up::tool::Tool::Function(function) = sent.tools[0].tool.clone().unwrap();
    assert_eq!((function.name.as_str(), function.parameters.as_str()), ("get_weather", r#"{"type":"object"}"#));
    assert_eq!(sent.tool_choice.unwrap().tool_choice, Some(up::tool_choice::ToolChoice::Mode(3)), "required");

    assert_eq!((answer.id.as_str(), answer.model.as_str(), answer.created), ("resp-1", "grok-4-0709", 1_700_000_000));
    let choice = &answer.choices[0];
    assert_eq!(choice.finish_reason, FinishReason::ToolCalls as i32);
    let reply = choice.message.as_ref().unwrap();
    assert_eq!((reply.role.as_str(), reply.content.as_str()), ("assistant", "Hello from upstream"));
    assert_eq!(reply.reasoning_content, "The user greets me.");
    assert_eq!(reply.tool_calls[0].function.as_ref().unwrap().arguments, r#"{"city":"Paris"}"#);
    let usage = answer.usage.unwrap();
    assert_eq!((usage.prompt_tokens, usage.completion_tokens, usage.total_tokens), (12, 5, 21));
    assert_eq!((usage.reasoning_tokens, usage.cached_prompt_tokens, usage.prompt_image_tokens), (4, 6, 2));
    assert_eq!(usage.cost_usd_ticks, 123_450);
    assert_eq!(answer.system_fingerprint, "fp_up");
    gateway.stop().await;
}

#[tokio::test]
async fn streamed_chat_is_translated_and_usage_is_the_latest_not_a_sum() {
    let upstream = FakeUpstream::start().await;
    let gateway = gateway_for(&upstream).await;
    let request = ChatCompletionRequest { model: "grok-4".into(), messages: vec![message("user", "hi")], ..Default::default() };
    let mut stream =
        ChatClient::new(gateway.channel().await).create_chat_completion_stream(with_key(request, KEY)).await.unwrap().into_inner();
    let mut chunks = Vec::new();
    while let Some(chunk) = stream.message().await.unwrap() {
        chunks.push(chunk);
    }
    assert_eq!(chunks.len(), 3);
    let sent: up::GetCompletionsRequest = upstream.state.last("Chat/GetCompletionChunk").decode();
    assert_eq!(sent.messages[0].content[0].content, Some(up::content::Content::Text("hi".into())));
    assert_eq!(sent.reasoning_effort, None, "unspecified effort stays unset");

    let deltas: Vec<_> = chunks.iter().map(|chunk| chunk.choices[0].delta.clone().unwrap()).collect();
    assert_eq!(deltas[0].role, "assistant");
    assert_eq!(deltas[0].reasoning_content, "Let me think.");
    assert_eq!(deltas[1].role, "", "role only on the first chunk");
    let text: String = deltas.iter().map(|delta| delta.content.as_str()).collect();
    assert_eq!(text, "Hello");
    assert_eq!(chunks[0].choices[0].finish_reason, FinishReason::Unspecified as i32);
    assert_eq!(chunks[2].choices[0].finish_reason, FinishReason::Length as i32, "REASON_MAX_LEN is the reference's LENGTH");
    let costs: Vec<i64> = chunks.iter().map(|chunk| chunk.usage.unwrap().cost_usd_ticks).collect();
    assert_eq!(costs, [100, 100, 300], "a chunk without usage repeats the latest; the last is the upstream's last, not a sum");
    assert_eq!(chunks[2].usage.unwrap().completion_tokens, 3);
    assert_eq!((chunks[0].id.as_str(), chunks[0].created), ("resp-stream-1", 1_700_000_100));
    gateway.stop().await;
}

#[tokio::test]
async fn images_are_created_and_edited_through_generate_image() {
    let upstream = FakeUpstream::start().await;
    let gateway = gateway_for(&upstream).await;
    let mut images = ImageClient::new(gateway.channel().await);
    let create = ImageRequest {
        prompt: "a red fox".into(),
        model: "grok-2-image".into(),
        n: Some(2),
        format: ImageFormat::Base64 as i32,
        aspect_ratio: ImageAspectRatio::ImageAspectRatio169 as i32,
        resolution: ImageResolution::ImageResolution2k as i32,
        user: "user-42".into(),
    };
    let created = images.create_image(with_key(create, KEY)).await.unwrap().into_inner();
    let sent: up::GenerateImageRequest = upstream.state.last("Image/GenerateImage").decode();
    assert_eq!((sent.prompt.as_str(), sent.model.as_str(), sent.n), ("a red fox", "grok-2-image", Some(2)));
    assert_eq!((sent.format, sent.aspect_ratio, sent.resolution), (1, Some(5), Some(2)));
    assert!(sent.image.is_none() && sent.images.is_empty(), "a creation sends no source image");
    let image = &created.images[0];
    assert_eq!(image.image, Some(generated_image::Image::Base64(fake_upstream::png_base64())), "data: prefix stripped");
    assert_eq!((image.mime_type.as_str(), image.width, image.height), ("image/png", 3, 2));
    assert_eq!(created.usage.unwrap().cost_usd_ticks, 700_000_000);

    let source = ImageUrl { url: "data:image/png;base64,AAAA".into(), detail: 0 };
    let edit =
        ImageEditRequest { prompt: "make it blue".into(), model: "grok-2-image".into(), image: Some(source.clone()), ..Default::default() };
    let edited = images.edit_image(with_key(edit, KEY)).await.unwrap().into_inner();
    let sent: up::GenerateImageRequest = upstream.state.last("Image/GenerateImage").decode();
    assert_eq!(sent.image.unwrap().image_url, "data:image/png;base64,AAAA");
    assert_eq!(sent.format, 2, "unspecified format is URL, as the reference says");
    assert_eq!(edited.images[0].image, Some(generated_image::Image::Url("https://imgen.x.ai/fake/1.jpg".into())));

    let reference = ImageUrl { url: "https://example.com/style.png".into(), detail: 0 };
    let multi = ImageEditRequest { prompt: "mix".into(), image: Some(source), references: vec![reference], ..Default::default() };
    images.edit_image(with_key(multi, KEY)).await.unwrap();
    let sent: up::GenerateImageRequest = upstream.state.last("Image/GenerateImage").decode();
    let urls: Vec<_> = sent.images.iter().map(|image| image.image_url.as_str()).collect();
    assert_eq!(urls, ["data:image/png;base64,AAAA", "https://example.com/style.png"], "multi-reference edit uses `images`");

    let missing = images.edit_image(with_key(ImageEditRequest { prompt: "x".into(), ..Default::default() }, KEY)).await.unwrap_err();
    assert_eq!(missing.code(), tonic::Code::InvalidArgument);
    gateway.stop().await;
}

#[tokio::test]
async fn models_are_listed_and_found_through_the_typed_calls() {
    let upstream = FakeUpstream::start().await;
    let gateway = gateway_for(&upstream).await;
    let mut models = ModelsClient::new(gateway.channel().await);
    let all = models.list_models(with_key(ListModelsRequest {}, KEY)).await.unwrap().into_inner().models;
    let names: Vec<_> = all.iter().map(|model| model.name.as_str()).collect();
    assert_eq!(names, ["grok-2-image-1212", "grok-3", "grok-4-0709"], "both typed lists, sorted by name");
    assert_eq!(all[0].kind, ModelKind::ImageGeneration as i32);
    assert_eq!(all[2].kind, ModelKind::Language as i32);
    let methods: Vec<_> = upstream.state.calls().iter().map(|seen| seen.method).collect();
    assert!(methods.contains(&"Models/ListLanguageModels") && methods.contains(&"Models/ListImageGenerationModels"));

    let language = models.get_language_model(with_key(GetLanguageModelRequest { name: "grok-4".into() }, KEY)).await.unwrap().into_inner();
    assert_eq!(
        (language.name.as_str(), language.completion_text_token_price, language.cached_prompt_token_price),
        ("grok-4-0709", 150_000, 7_500)
    );
    assert_eq!((language.input_modalities, language.created, language.max_prompt_length), (vec![1, 2], 1_690_000_000, 256_000));
    let sent: up::GetModelRequest = upstream.state.last("Models/GetLanguageModel").decode();
    assert_eq!(sent.name, "grok-4");

    let image =
        models.get_image_generation_model(with_key(GetImageGenerationModelRequest { name: "grok-2-image".into() }, KEY)).await.unwrap();
    assert_eq!(image.into_inner().image_price, 700_000_000);

    let any = models.get_model(with_key(GetModelRequest { name: "grok-2-image".into() }, KEY)).await.unwrap().into_inner();
    assert_eq!((any.name.as_str(), any.kind), ("grok-2-image-1212", ModelKind::ImageGeneration as i32));
    let any = models.get_model(with_key(GetModelRequest { name: "grok-4".into() }, KEY)).await.unwrap().into_inner();
    assert_eq!(any.kind, ModelKind::Language as i32);
    let unknown = models.get_model(with_key(GetModelRequest { name: "grok-99".into() }, KEY)).await.unwrap_err();
    assert_eq!(unknown.code(), tonic::Code::NotFound);
    assert!(unknown.message().contains("grok-99"));
    gateway.stop().await;
}

#[tokio::test]
async fn the_current_key_comes_from_snake_case_get_api_key_info() {
    let upstream = FakeUpstream::start().await;
    let gateway = gateway_for(&upstream).await;
    let key = AuthClient::new(gateway.channel().await).get_api_key(with_key(GetApiKeyRequest {}, KEY)).await.unwrap().into_inner();
    assert_eq!(upstream.state.last("Auth/get_api_key_info").header("authorization").unwrap(), format!("Bearer {KEY}"));
    assert_eq!((key.api_key_id.as_str(), key.redacted_api_key.as_str(), key.name.as_str()), ("key-upstream-1", "xai-...wxyz", "laptop"));
    assert_eq!((key.create_time, key.modify_time), (1_650_000_000, 1_660_000_000));
    assert_eq!((key.user_id.as_str(), key.team_id.as_str(), key.team_blocked), ("user-7", "team-9", true));
    assert_eq!(key.acls, ["api-key:model:*", "api-key:endpoint:*"]);
    assert!(key.api_key.is_empty());
    gateway.stop().await;
}

#[tokio::test]
async fn raw_sampling_is_translated_unary_and_streamed() {
    let upstream = FakeUpstream::start().await;
    let gateway = gateway_for(&upstream).await;
    let mut sample = SampleClient::new(gateway.channel().await);
    let request = RawSampleRequest {
        prompt: "Once".into(),
        model: "grok-3".into(),
        max_tokens: Some(16),
        temperature: Some(0.7),
        stop: vec!["\n".into()],
        seed: Some(3),
        ..Default::default()
    };
    let answer = sample.raw_sample(with_key(request.clone(), KEY)).await.unwrap().into_inner();
    let sent: up::SampleTextRequest = upstream.state.last("Sample/SampleText").decode();
    assert_eq!((sent.prompt, sent.model.as_str()), (vec!["Once".to_string()], "grok-3"));
    assert_eq!((sent.max_tokens, sent.temperature, sent.seed, sent.stop), (Some(16), Some(0.7), Some(3), vec!["\n".to_string()]));
    assert_eq!((answer.id.as_str(), answer.choices[0].text.as_str()), ("sample-up-1", " upon a time"));
    assert_eq!(answer.choices[0].finish_reason, FinishReason::Stop as i32);
    assert_eq!(answer.usage.unwrap().cost_usd_ticks, 400);

    let mut stream = sample.raw_sample_stream(with_key(request, KEY)).await.unwrap().into_inner();
    let mut chunks = Vec::new();
    while let Some(chunk) = stream.message().await.unwrap() {
        chunks.push(chunk);
    }
    upstream.state.last("Sample/SampleTextStreaming");
    let text: String = chunks.iter().map(|chunk| chunk.choices[0].text.as_str()).collect();
    assert_eq!(text, " upon a time");
    assert_eq!(chunks.last().unwrap().usage.unwrap().cost_usd_ticks, 300, "cumulative usage replaces, never sums");
    gateway.stop().await;
}

#[tokio::test]
async fn batches_are_created_with_requests_and_results_come_back() {
    let upstream = FakeUpstream::start().await;
    let gateway = gateway_for(&upstream).await;
    let mut batches = BatchMgmtClient::new(gateway.channel().await);
    let chat = ChatCompletionRequest { model: "grok-3".into(), messages: vec![message("user", "hi")], ..Default::default() };
    let image = ImageRequest { prompt: "a cat".into(), model: "grok-2-image".into(), ..Default::default() };
    let create = CreateBatchRequest {
        name: "nightly".into(),
        input_file_id: String::new(),
        requests: vec![
            BatchRequest { batch_request_id: "first".into(), request: Some(batch_request::Request::CompletionRequest(chat)) },
            BatchRequest { batch_request_id: String::new(), request: Some(batch_request::Request::ImageRequest(image)) },
        ],
    };
    let batch = batches.create_batch(with_key(create, KEY)).await.unwrap().into_inner();
    let methods: Vec<_> = upstream.state.calls().iter().map(|seen| seen.method).collect();
    assert_eq!(methods, ["BatchMgmt/CreateBatch", "BatchMgmt/AddBatchRequests", "BatchMgmt/GetBatch"]);
    let added: up::AddBatchRequestsRequest = upstream.state.last("BatchMgmt/AddBatchRequests").decode();
    assert_eq!(added.batch_id, "batch-up-1");
    assert_eq!(added.batch_requests[0].batch_request_id.as_deref(), Some("first"));
    assert_eq!(added.batch_requests[1].batch_request_id, None, "an empty id lets the upstream choose");
    let Some(up::batch_request::Request::CompletionRequest(sent_chat)) = &added.batch_requests[0].request else { panic!("chat request") };
    assert_eq!(sent_chat.messages[0].role, up::MessageRole::RoleUser as i32);
    assert!(matches!(added.batch_requests[1].request, Some(up::batch_request::Request::ImageRequest(_))));
    assert_eq!((batch.batch_id.as_str(), batch.state.unwrap().num_requests), ("batch-up-1", 2));
    assert_eq!((batch.create_time, batch.status), (1_700_000_000, BatchStatus::InProgress as i32));

    let results = batches
        .list_batch_results(with_key(
            ListBatchResultsRequest { batch_id: "batch-up-1".into(), limit: 10, pagination_token: String::new() },
            KEY,
        ))
        .await
        .unwrap()
        .into_inner();
    let sent: up::ListBatchResultsRequest = upstream.state.last("BatchMgmt/ListBatchResults").decode();
    assert_eq!((sent.limit, sent.pagination_token), (10, None));
    let Some(batch_result::Outcome::CompletionResponse(answer)) = &results.results[0].outcome else { panic!("completion result") };
    assert_eq!(answer.choices[0].message.as_ref().unwrap().content, "batched answer");
    let Some(batch_result::Outcome::Error(error)) = &results.results[1].outcome else { panic!("error result") };
    assert_eq!((error.code, error.message.as_str()), (3, "prompt too long"));
    gateway.stop().await;
}
