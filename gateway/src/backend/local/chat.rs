//! Chat completions: validation, the deterministic answer per choice, usage and cost, and the
//! same answer cut into stream chunks.
use tonic::Status;

use super::{catalog, text, AnswerOptions};
use crate::proto::{
    content_part::Part, ChatCompletionChunk, ChatCompletionRequest, ChatCompletionResponse, Choice, ChunkChoice, Delta, FinishReason,
    LanguageModel, Message, ReasoningEffort, Usage,
};

/// Prompt tokens an input image counts for.
pub const IMAGE_PROMPT_TOKENS: i64 = 256;
const ROLES: [&str; 4] = ["system", "user", "assistant", "tool"];

/// One generated answer, already cut into tokens.
pub struct GeneratedChoice {
    pub reasoning: Vec<String>,
    pub content: Vec<String>,
    pub finish_reason: FinishReason,
}

/// A whole completion before it is shaped as a response or as chunks.
pub struct Completion {
    pub model: LanguageModel,
    pub choices: Vec<GeneratedChoice>,
    pub usage: Usage,
}

/// Checks the shared sampling parameters of chat and raw sampling.
pub fn validate_sampling(temperature: Option<f32>, top_p: Option<f32>, n: Option<i32>, max_tokens: Option<i32>) -> Result<usize, Status> {
    if let Some(temperature) = temperature.filter(|value| !(0.0..=2.0).contains(value)) {
        return Err(Status::invalid_argument(format!("temperature {temperature} is out of range: use 0..2")));
    }
    if let Some(top_p) = top_p.filter(|value| !(0.0..=1.0).contains(value)) {
        return Err(Status::invalid_argument(format!("top_p {top_p} is out of range: use 0..1")));
    }
    if let Some(max_tokens) = max_tokens.filter(|value| *value < 1) {
        return Err(Status::invalid_argument(format!("max_tokens {max_tokens} must be at least 1")));
    }
    let n = n.unwrap_or(1);
    if !(1..=10).contains(&n) {
        return Err(Status::invalid_argument(format!("n {n} is out of range: ask for 1..10 choices")));
    }
    Ok(n as usize)
}

/// Cuts `content` at the first stop sequence and at `max_tokens` tokens.
pub fn limit_tokens(content: &str, stop: &[String], max_tokens: Option<i32>) -> (Vec<String>, FinishReason) {
    let cut = stop.iter().filter(|stop| !stop.is_empty()).filter_map(|stop| content.find(stop.as_str())).min();
    let tokens = text::tokenize(&content[..cut.unwrap_or(content.len())]);
    match max_tokens.map(|max| max as usize) {
        Some(max) if tokens.len() > max => (tokens[..max].to_vec(), FinishReason::Length),
        _ => (tokens, FinishReason::Stop),
    }
}

/// Cost in USD ticks: prices are per token in 1e-4 USD / 1M tokens = ticks.
pub fn cost_usd_ticks(model: &LanguageModel, text_prompt: i64, image_prompt: i64, generated: i64) -> i64 {
    text_prompt * model.prompt_text_token_price
        + image_prompt * model.prompt_image_token_price
        + generated * model.completion_text_token_price
}

fn message_text(message: &Message) -> String {
    let mut text = message.content.clone();
    for part in &message.parts {
        if let Some(Part::Text(extra)) = &part.part {
            text.push('\n');
            text.push_str(extra);
        }
    }
    text
}

/// What a chat request asked for, for the log: model, message roles in order and image parts.
/// Never message content: prompts may be private.
pub fn request_summary(request: &ChatCompletionRequest) -> String {
    let roles: Vec<&str> = request.messages.iter().map(|message| message.role.as_str()).collect();
    let images =
        request.messages.iter().flat_map(|message| &message.parts).filter(|part| matches!(part.part, Some(Part::ImageUrl(_)))).count();
    format!("model {}, message roles [{}], {images} image part(s)", request.model, roles.join(", "))
}

pub fn complete(request: &ChatCompletionRequest, answers: &AnswerOptions) -> Result<Completion, Status> {
    let model = catalog::find_language_model(&request.model)?;
    if request.messages.is_empty() {
        return Err(Status::invalid_argument("messages is empty: send at least one message"));
    }
    let n = validate_sampling(request.temperature, request.top_p, request.n, request.max_tokens)?;
    let accepts_images = model.input_modalities.contains(&(crate::proto::Modality::Image as i32));
    let (mut text_prompt, mut image_prompt) = (0i64, 0i64);
    for (index, message) in request.messages.iter().enumerate() {
        if !ROLES.contains(&message.role.as_str()) {
            return Err(Status::invalid_argument(format!(
                "messages[{index}].role {:?} is not one of system, user, assistant, tool",
                message.role
            )));
        }
        text_prompt += text::count_prompt_tokens(&message_text(message));
        for part in &message.parts {
            if let Some(Part::ImageUrl(_)) = &part.part {
                if !accepts_images {
                    return Err(Status::invalid_argument(format!(
                        "messages[{index}] has an image part but model {} does not accept image input; use a vision model such as grok-4",
                        model.name
                    )));
                }
                image_prompt += IMAGE_PROMPT_TOKENS;
            }
        }
    }
    let prompt_tokens = text_prompt + image_prompt;
    if prompt_tokens > i64::from(model.max_prompt_length) {
        return Err(Status::invalid_argument(format!(
            "prompt is {prompt_tokens} tokens, model {} accepts at most {}",
            model.name, model.max_prompt_length
        )));
    }
    let question = request
        .messages
        .iter()
        .rev()
        .find(|message| message.role == "user")
        .or(request.messages.last())
        .map(message_text)
        .unwrap_or_default();
    let reasoning_sentences = match ReasoningEffort::try_from(request.reasoning_effort).unwrap_or_default() {
        _ if !model.reasoning => 0,
        ReasoningEffort::None => 0,
        ReasoningEffort::Low => 2,
        ReasoningEffort::High => 5,
        ReasoningEffort::Medium | ReasoningEffort::Unspecified => 3,
    };
    let choices: Vec<GeneratedChoice> = (0..n as u32)
        .map(|index| {
            let reasoning =
                if reasoning_sentences == 0 { Vec::new() } else { text::tokenize(&text::reasoning(&question, reasoning_sentences)) };
            let (content, finish_reason) = limit_tokens(&answers.answer(&question, index), &request.stop, request.max_tokens);
            let content = answers.cut(content);
            GeneratedChoice { reasoning, content, finish_reason }
        })
        .collect();
    let completion_tokens: i64 = choices.iter().map(|choice| choice.content.len() as i64).sum();
    let reasoning_tokens: i64 = choices.iter().map(|choice| choice.reasoning.len() as i64).sum();
    let usage = Usage {
        prompt_tokens: prompt_tokens as i32,
        completion_tokens: completion_tokens as i32,
        total_tokens: (prompt_tokens + completion_tokens + reasoning_tokens) as i32,
        reasoning_tokens: reasoning_tokens as i32,
        cached_prompt_tokens: 0,
        prompt_image_tokens: image_prompt as i32,
        cost_usd_ticks: cost_usd_ticks(&model, text_prompt, image_prompt, completion_tokens + reasoning_tokens),
    };
    Ok(Completion { model, choices, usage })
}

impl Completion {
    pub fn into_response(self, id: String, created: i64) -> ChatCompletionResponse {
        let choices = self
            .choices
            .into_iter()
            .enumerate()
            .map(|(index, choice)| Choice {
                index: index as i32,
                message: Some(Message {
                    role: "assistant".into(),
                    content: choice.content.concat(),
                    reasoning_content: choice.reasoning.concat(),
                    ..Default::default()
                }),
                finish_reason: choice.finish_reason as i32,
            })
            .collect();
        ChatCompletionResponse {
            id,
            model: self.model.name,
            created,
            choices,
            usage: Some(self.usage),
            system_fingerprint: self.model.system_fingerprint,
        }
    }

    /// One chunk per token step (every choice advances by one reasoning or content token),
    /// then a last chunk with the finish reasons and the usage.
    pub fn into_chunks(self, id: String, created: i64) -> Vec<ChatCompletionChunk> {
        let steps = self.choices.iter().map(|choice| choice.reasoning.len() + choice.content.len()).max().unwrap_or(0);
        let chunk = |choices: Vec<ChunkChoice>, usage: Option<Usage>| ChatCompletionChunk {
            id: id.clone(),
            model: self.model.name.clone(),
            created,
            choices,
            usage,
        };
        let role = |step: usize| if step == 0 { "assistant".to_string() } else { String::new() };
        let mut chunks = Vec::with_capacity(steps + 1);
        for step in 0..steps {
            let deltas = self
                .choices
                .iter()
                .enumerate()
                .map(|(index, choice)| {
                    let mut delta = Delta { role: role(step), ..Default::default() };
                    if let Some(token) = choice.reasoning.get(step) {
                        delta.reasoning_content = token.clone();
                    } else if let Some(token) = choice.content.get(step - choice.reasoning.len()) {
                        delta.content = token.clone();
                    }
                    ChunkChoice { index: index as i32, delta: Some(delta), finish_reason: 0 }
                })
                .collect();
            chunks.push(chunk(deltas, None));
        }
        let finals = self
            .choices
            .iter()
            .enumerate()
            .map(|(index, choice)| ChunkChoice {
                index: index as i32,
                delta: Some(Delta { role: role(steps), ..Default::default() }),
                finish_reason: choice.finish_reason as i32,
            })
            .collect();
        chunks.push(chunk(finals, Some(self.usage)));
        chunks
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::{ContentPart, ImageUrl};

    #[test]
    fn the_request_summary_names_roles_and_images_but_no_content() {
        let message = |role: &str, content: &str, images: usize| Message {
            role: role.into(),
            content: content.into(),
            parts: (0..images)
                .map(|_| ContentPart { part: Some(Part::ImageUrl(ImageUrl { url: "data:image/png;base64,AAAA".into(), detail: 0 })) })
                .collect(),
            ..Default::default()
        };
        let request = ChatCompletionRequest {
            model: "grok-4".into(),
            messages: vec![message("system", "You are a pirate", 0), message("user", "secret question", 2)],
            ..Default::default()
        };
        let summary = request_summary(&request);
        assert_eq!(summary, "model grok-4, message roles [system, user], 2 image part(s)");
        assert!(!summary.contains("pirate") && !summary.contains("secret") && !summary.contains("base64"));
    }
}
