//! Every RPC of Models, Chat, Sample, Image and Auth through the generated tonic clients (HTTP/2); BatchMgmt is in batches.rs.
mod common;

use base64::{engine::general_purpose::STANDARD as BASE64, Engine as _};
use common::{chat_request, TestGateway};
use tonic::Code;
use xai_gateway::proto::{
    auth_client::AuthClient, chat_client::ChatClient, content_part, generated_image, image_client::ImageClient,
    models_client::ModelsClient, sample_client::SampleClient, ContentPart, CreateApiKeyRequest, DeleteApiKeyRequest, FinishReason,
    GetApiKeyRequest, GetImageGenerationModelRequest, GetLanguageModelRequest, GetModelRequest, ImageAspectRatio, ImageEditRequest,
    ImageFormat, ImageRequest, ImageUrl, ListApiKeysRequest, ListImageGenerationModelsRequest, ListLanguageModelsRequest,
    ListModelsRequest, RawSampleRequest,
};

#[tokio::test]
async fn models_list_and_resolve_aliases() {
    let gateway = TestGateway::start(&[]).await;
    let mut models = ModelsClient::new(gateway.channel().await);
    let all = models.list_models(ListModelsRequest {}).await.unwrap().into_inner().models;
    assert!(all.len() >= 6, "{all:?}");
    let names: Vec<_> = all.iter().map(|model| model.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "sorted by name");

    let grok4 = models.get_model(GetModelRequest { name: "grok-4-latest".into() }).await.unwrap().into_inner();
    assert_eq!(grok4.name, "grok-4");
    let language = models.list_language_models(ListLanguageModelsRequest {}).await.unwrap().into_inner().models;
    assert!(language.len() >= 4);
    let mini = models.get_language_model(GetLanguageModelRequest { name: "grok-3-mini".into() }).await.unwrap().into_inner();
    assert!(mini.reasoning);
    assert_eq!(mini.max_prompt_length, 131_072);
    let grok4 = language.iter().find(|model| model.name == "grok-4").unwrap();
    assert_eq!(
        (grok4.prompt_text_token_price, grok4.cached_prompt_token_price, grok4.completion_text_token_price),
        (30_000, 7_500, 150_000)
    );
    assert_eq!(grok4.max_prompt_length, 256_000);

    let image = models.list_image_generation_models(ListImageGenerationModelsRequest {}).await.unwrap().into_inner().models;
    assert_eq!(image.len(), 2);
    let grok2 =
        models.get_image_generation_model(GetImageGenerationModelRequest { name: "grok-2-image".into() }).await.unwrap().into_inner();
    assert_eq!((grok2.name.as_str(), grok2.image_price), ("grok-2-image-1212", 700_000_000));

    let missing = models.get_model(GetModelRequest { name: "grok-99".into() }).await.unwrap_err();
    assert_eq!(missing.code(), Code::NotFound);
    assert!(missing.message().contains("grok-99"));
    gateway.stop().await;
}

#[tokio::test]
async fn chat_answers_markdown_with_exact_cost() {
    let gateway = TestGateway::start(&[]).await;
    let mut chat = ChatClient::new(gateway.channel().await);
    let request = chat_request("grok-4", "How do I read a file line by line in Rust?");
    let response = chat.create_chat_completion(request.clone()).await.unwrap().into_inner();
    assert_eq!(response.model, "grok-4");
    let choice = &response.choices[0];
    let message = choice.message.as_ref().unwrap();
    assert_eq!(message.role, "assistant");
    assert!(message.content.contains("```"), "fenced code block: {}", message.content);
    assert!(message.content.contains("\n- "), "bulleted list");
    assert!(message.content.len() > 300);
    assert!(!message.reasoning_content.is_empty(), "grok-4 reasons");
    assert_eq!(choice.finish_reason, FinishReason::Stop as i32);

    let usage = response.usage.unwrap();
    assert!(usage.prompt_tokens > 0 && usage.completion_tokens > 0 && usage.reasoning_tokens > 0);
    assert_eq!(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens + usage.reasoning_tokens);
    let expected = i64::from(usage.prompt_tokens) * 30_000 + i64::from(usage.completion_tokens + usage.reasoning_tokens) * 150_000;
    assert_eq!(usage.cost_usd_ticks, expected);

    let again = chat.create_chat_completion(request).await.unwrap().into_inner();
    assert_eq!(again.choices[0].message.as_ref().unwrap().content, message.content, "deterministic");

    let no_reasoning = chat.create_chat_completion(chat_request("grok-code-fast-1", "hi there")).await.unwrap().into_inner();
    assert!(no_reasoning.choices[0].message.as_ref().unwrap().reasoning_content.is_empty());
    gateway.stop().await;
}

#[tokio::test]
async fn chat_validation_names_the_input() {
    let gateway = TestGateway::start(&[]).await;
    let mut chat = ChatClient::new(gateway.channel().await);
    let mut empty = chat_request("grok-4", "x");
    empty.messages.clear();
    let error = chat.create_chat_completion(empty).await.unwrap_err();
    assert_eq!(error.code(), Code::InvalidArgument);
    assert!(error.message().contains("messages"));

    let error = chat.create_chat_completion(chat_request("nope", "x")).await.unwrap_err();
    assert_eq!(error.code(), Code::NotFound);

    let mut hot = chat_request("grok-4", "x");
    hot.temperature = Some(3.0);
    let error = chat.create_chat_completion(hot).await.unwrap_err();
    assert_eq!(error.code(), Code::InvalidArgument);
    assert!(error.message().contains("temperature"));

    let mut many = chat_request("grok-4", "x");
    many.n = Some(11);
    assert_eq!(chat.create_chat_completion(many).await.unwrap_err().code(), Code::InvalidArgument);

    let mut with_image = chat_request("grok-3-mini", "what is this?");
    with_image.messages[0]
        .parts
        .push(ContentPart { part: Some(content_part::Part::ImageUrl(ImageUrl { url: "data:image/png;base64,AAAA".into(), detail: 0 })) });
    let error = chat.create_chat_completion(with_image).await.unwrap_err();
    assert_eq!(error.code(), Code::InvalidArgument);
    assert!(error.message().contains("image"), "{}", error.message());

    let long = chat_request("grok-2-vision-1212", &"word ".repeat(40_000));
    let error = chat.create_chat_completion(long).await.unwrap_err();
    assert_eq!(error.code(), Code::InvalidArgument);
    assert!(error.message().contains("prompt is 50000 tokens, model grok-2-vision-1212 accepts at most 32768"), "{}", error.message());
    gateway.stop().await;
}

#[tokio::test]
async fn chat_stream_matches_the_unary_answer() {
    let gateway = TestGateway::start(&[]).await;
    let mut chat = ChatClient::new(gateway.channel().await);
    let request = chat_request("grok-4", "Explain ownership in Rust");
    let unary = chat.create_chat_completion(request.clone()).await.unwrap().into_inner();
    let mut stream = chat.create_chat_completion_stream(request).await.unwrap().into_inner();
    let mut chunks = Vec::new();
    while let Some(chunk) = stream.message().await.unwrap() {
        chunks.push(chunk);
    }
    assert!(chunks.len() > 20, "token by token");
    assert_eq!(chunks[0].choices[0].delta.as_ref().unwrap().role, "assistant");
    assert!(!chunks[0].choices[0].delta.as_ref().unwrap().reasoning_content.is_empty(), "reasoning streams first");
    let (mut content, mut reasoning) = (String::new(), String::new());
    for chunk in &chunks {
        assert_eq!(chunk.choices.len(), 1);
        let delta = chunk.choices[0].delta.as_ref().unwrap();
        assert!(delta.reasoning_content.is_empty() || content.is_empty(), "no reasoning after content");
        content.push_str(&delta.content);
        reasoning.push_str(&delta.reasoning_content);
    }
    let message = unary.choices[0].message.as_ref().unwrap();
    assert_eq!(content, message.content);
    assert_eq!(reasoning, message.reasoning_content);
    let last = chunks.last().unwrap();
    assert_eq!(last.choices[0].finish_reason, FinishReason::Stop as i32);
    let usage = last.usage.unwrap();
    assert_eq!(usage, unary.usage.unwrap());
    let content_chunks = chunks.iter().filter(|chunk| !chunk.choices[0].delta.as_ref().unwrap().content.is_empty()).count();
    assert_eq!(usage.completion_tokens as usize, content_chunks);
    gateway.stop().await;
}

#[tokio::test]
async fn chat_honours_n_max_tokens_and_stop() {
    let gateway = TestGateway::start(&[]).await;
    let mut chat = ChatClient::new(gateway.channel().await);
    let mut request = chat_request("grok-code-fast-1", "Write a parser");
    request.n = Some(2);
    let mut stream = chat.create_chat_completion_stream(request).await.unwrap().into_inner();
    let mut texts = [String::new(), String::new()];
    while let Some(chunk) = stream.message().await.unwrap() {
        assert_eq!(chunk.choices.len(), 2, "one choice per index in every chunk");
        for choice in chunk.choices {
            texts[choice.index as usize].push_str(&choice.delta.unwrap().content);
        }
    }
    assert_ne!(texts[0], texts[1]);

    let mut short = chat_request("grok-code-fast-1", "Write a parser");
    short.max_tokens = Some(5);
    let response = chat.create_chat_completion(short).await.unwrap().into_inner();
    assert_eq!(response.choices[0].finish_reason, FinishReason::Length as i32);
    assert_eq!(response.usage.unwrap().completion_tokens, 5);

    let mut stopped = chat_request("grok-code-fast-1", "Write a parser");
    stopped.stop = vec!["```".into()];
    let response = chat.create_chat_completion(stopped).await.unwrap().into_inner();
    let content = &response.choices[0].message.as_ref().unwrap().content;
    assert!(!content.contains("```") && content.contains("- **"), "{content}");
    assert_eq!(response.choices[0].finish_reason, FinishReason::Stop as i32);
    gateway.stop().await;
}

#[tokio::test]
async fn raw_sample_unary_and_stream_agree() {
    let gateway = TestGateway::start(&[]).await;
    let mut sample = SampleClient::new(gateway.channel().await);
    let request =
        RawSampleRequest { prompt: "Once upon a time, a lighthouse".into(), model: "grok-3".into(), n: Some(2), ..Default::default() };
    let unary = sample.raw_sample(request.clone()).await.unwrap().into_inner();
    assert_eq!(unary.choices.len(), 2);
    assert!(unary.choices[0].text.contains("lighthouse"));
    let usage = unary.usage.unwrap();
    assert_eq!(usage.cost_usd_ticks, i64::from(usage.prompt_tokens) * 30_000 + i64::from(usage.completion_tokens) * 150_000);

    let mut stream = sample.raw_sample_stream(request).await.unwrap().into_inner();
    let mut texts = [String::new(), String::new()];
    let mut last = None;
    while let Some(chunk) = stream.message().await.unwrap() {
        for choice in &chunk.choices {
            texts[choice.index as usize].push_str(&choice.text);
        }
        last = Some(chunk);
    }
    assert_eq!(texts[0], unary.choices[0].text);
    assert_eq!(texts[1], unary.choices[1].text);
    let last = last.unwrap();
    assert_eq!(last.choices[0].finish_reason, FinishReason::Stop as i32);
    assert_eq!(last.usage.unwrap(), usage);
    gateway.stop().await;
}

fn decode_png(bytes: &[u8]) -> image::RgbImage {
    image::load_from_memory_with_format(bytes, image::ImageFormat::Png).expect("a PNG").to_rgb8()
}

#[tokio::test]
async fn images_are_real_pngs_with_the_right_shape() {
    let gateway = TestGateway::start(&[]).await;
    let mut images = ImageClient::new(gateway.channel().await);
    let request = ImageRequest {
        prompt: "a lighthouse at dusk".into(),
        model: "grok-2-image".into(),
        n: Some(3),
        format: ImageFormat::Base64 as i32,
        aspect_ratio: ImageAspectRatio::ImageAspectRatio169 as i32,
        ..Default::default()
    };
    let response = images.create_image(request).await.unwrap().into_inner();
    assert_eq!(response.images.len(), 3);
    assert_eq!(response.usage.unwrap().cost_usd_ticks, 3 * 700_000_000);
    let mut first_png = Vec::new();
    for generated in &response.images {
        let Some(generated_image::Image::Base64(data)) = &generated.image else { panic!("base64 asked") };
        let png = BASE64.decode(data).unwrap();
        let decoded = decode_png(&png);
        assert_eq!((decoded.width(), decoded.height()), (256, 144));
        assert_eq!((generated.width, generated.height), (256, 144));
        if first_png.is_empty() {
            first_png = png;
        }
    }

    let by_url = ImageRequest { prompt: "a red fox".into(), model: "grok-imagine-image".into(), ..Default::default() };
    let response = images.create_image(by_url).await.unwrap().into_inner();
    let Some(generated_image::Image::Url(url)) = &response.images[0].image else { panic!("URL is the default") };
    assert!(url.starts_with("/images/") && url.ends_with(".png"));
    let (status, content_type, body) = common::http_get(gateway.gateway.addr, url).await;
    assert_eq!((status.as_u16(), content_type.as_str()), (200, "image/png"));
    assert_eq!(decode_png(&body).dimensions(), (256, 256));

    let edit = ImageEditRequest {
        prompt: "make it night".into(),
        model: "grok-2-image".into(),
        image: Some(ImageUrl { url: format!("data:image/png;base64,{}", BASE64.encode(&first_png)), detail: 0 }),
        format: ImageFormat::Base64 as i32,
        aspect_ratio: ImageAspectRatio::Auto as i32,
        ..Default::default()
    };
    let edited = images.edit_image(edit.clone()).await.unwrap().into_inner();
    let Some(generated_image::Image::Base64(data)) = &edited.images[0].image else { panic!("base64 asked") };
    let edited_png = decode_png(&BASE64.decode(data).unwrap());
    let source = decode_png(&first_png);
    assert_eq!(edited_png.dimensions(), source.dimensions(), "AUTO keeps the source's shape");
    assert_ne!(edited_png.as_raw(), source.as_raw(), "visibly transformed");

    // A reference image changes the result; a broken one is refused, named.
    let mut with_reference = edit.clone();
    with_reference.references = vec![ImageUrl { url: format!("data:image/png;base64,{}", BASE64.encode(&first_png)), detail: 0 }];
    let referenced = images.edit_image(with_reference.clone()).await.unwrap().into_inner();
    assert_ne!(referenced.images[0].image, edited.images[0].image, "the reference is blended in");
    with_reference.references[0].url = "data:image/png;base64,bm90IGFuIGltYWdl".into();
    let error = images.edit_image(with_reference).await.unwrap_err();
    assert_eq!(error.code(), Code::InvalidArgument);
    assert!(error.message().starts_with("reference image 1:"), "{}", error.message());

    let mut broken = edit.clone();
    broken.image = Some(ImageUrl { url: "data:image/png;base64,bm90IGFuIGltYWdl".into(), detail: 0 });
    let error = images.edit_image(broken).await.unwrap_err();
    assert_eq!(error.code(), Code::InvalidArgument);
    assert!(error.message().contains("decoded"), "{}", error.message());
    let mut missing = edit;
    missing.image = None;
    assert_eq!(images.edit_image(missing).await.unwrap_err().code(), Code::InvalidArgument);
    gateway.stop().await;
}

#[tokio::test]
async fn api_keys_are_created_listed_and_deleted() {
    let gateway = TestGateway::start(&[]).await;
    let mut auth = AuthClient::new(gateway.channel().await);
    let own = auth.get_api_key(GetApiKeyRequest {}).await.unwrap().into_inner();
    assert_eq!(own.name, "gateway (server-held)");
    assert_eq!(own.acls, ["*"]);
    assert!(own.api_key.is_empty(), "secrets are never shown again");
    assert!(own.redacted_api_key.starts_with("xai-"));

    let created = auth.create_api_key(CreateApiKeyRequest { name: "ci".into(), acls: vec![] }).await.unwrap().into_inner();
    assert!(created.api_key.starts_with("xai-") && created.api_key.len() == 52, "xai- + 48 alphanumerics");
    assert_eq!(created.acls, ["*"]);
    assert!(created.redacted_api_key.ends_with(&created.api_key[48..]));
    let keys = auth.list_api_keys(ListApiKeysRequest {}).await.unwrap().into_inner().api_keys;
    assert_eq!(keys.len(), 2);
    assert!(keys.iter().all(|key| key.api_key.is_empty()));

    let error = auth.create_api_key(CreateApiKeyRequest { name: "x".into(), acls: vec!["root".into()] }).await.unwrap_err();
    assert_eq!(error.code(), Code::InvalidArgument);
    let error = auth.create_api_key(CreateApiKeyRequest { name: String::new(), acls: vec![] }).await.unwrap_err();
    assert_eq!(error.code(), Code::InvalidArgument);

    auth.delete_api_key(DeleteApiKeyRequest { api_key_id: created.api_key_id.clone() }).await.unwrap();
    let error = auth.delete_api_key(DeleteApiKeyRequest { api_key_id: created.api_key_id }).await.unwrap_err();
    assert_eq!(error.code(), Code::NotFound);
    gateway.stop().await;
}
