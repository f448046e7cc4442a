//! Chat: CreateChatCompletion(Stream) <-> GetCompletion / GetCompletionChunk.
use tonic::Status;

use super::{call, convert, Upstream};
use crate::{
    backend::{BoxStream, Caller},
    proto::{
        content_part::Part, ChatCompletionChunk, ChatCompletionRequest, ChatCompletionResponse, Choice, ChunkChoice, Delta, FunctionCall,
        Message, ReasoningEffort, ToolCall, Usage,
    },
    upstream_proto::{self as up, chat_client::ChatClient},
};

pub async fn complete(upstream: &Upstream, caller: &Caller, request: ChatCompletionRequest) -> Result<ChatCompletionResponse, Status> {
    let request = call::request(caller, to_upstream(request)?)?;
    let response = call::unary(upstream_client!(upstream, ChatClient).get_completion(request).await)?;
    Ok(from_upstream(response))
}

pub async fn stream(
    upstream: &Upstream,
    caller: &Caller,
    request: ChatCompletionRequest,
) -> Result<BoxStream<ChatCompletionChunk>, Status> {
    let request = call::request(caller, to_upstream(request)?)?;
    let mut chunks = ChunkTranslator::default();
    call::stream(upstream_client!(upstream, ChatClient).get_completion_chunk(request).await, move |chunk| chunks.translate(chunk))
}

/// The reference's request in the real API's shape.
pub fn to_upstream(request: ChatCompletionRequest) -> Result<up::GetCompletionsRequest, Status> {
    let messages =
        request.messages.into_iter().enumerate().map(|(index, message)| message_to_upstream(index, message)).collect::<Result<_, _>>()?;
    let reasoning_effort = match ReasoningEffort::try_from(request.reasoning_effort) {
        Ok(ReasoningEffort::Low) => Some(up::ReasoningEffort::EffortLow),
        Ok(ReasoningEffort::Medium) => Some(up::ReasoningEffort::EffortMedium),
        Ok(ReasoningEffort::High) => Some(up::ReasoningEffort::EffortHigh),
        Ok(ReasoningEffort::None) => Some(up::ReasoningEffort::EffortNone),
        Ok(ReasoningEffort::Unspecified) => None,
        Err(_) => return Err(Status::invalid_argument(format!("unknown reasoning_effort {}", request.reasoning_effort))),
    };
    let tools = request
        .tools
        .into_iter()
        .filter_map(|tool| tool.function)
        .map(|function| up::Tool {
            tool: Some(up::tool::Tool::Function(up::Function {
                name: function.name,
                description: function.description,
                strict: false,
                parameters: function.parameters,
            })),
        })
        .collect();
    let tool_choice = match request.tool_choice.trim() {
        "" => None,
        "auto" => Some(up::tool_choice::ToolChoice::Mode(1)),
        "none" => Some(up::tool_choice::ToolChoice::Mode(2)),
        "required" => Some(up::tool_choice::ToolChoice::Mode(3)),
        function_name => Some(up::tool_choice::ToolChoice::FunctionName(function_name.to_string())),
    };
    Ok(up::GetCompletionsRequest {
        messages,
        model: request.model,
        frequency_penalty: request.frequency_penalty,
        max_tokens: request.max_tokens,
        n: request.n,
        presence_penalty: request.presence_penalty,
        seed: request.seed,
        stop: request.stop,
        temperature: request.temperature,
        top_p: request.top_p,
        user: request.user,
        tools,
        tool_choice: tool_choice.map(|choice| up::ToolChoice { tool_choice: Some(choice) }),
        reasoning_effort: reasoning_effort.map(|effort| effort as i32),
        ..Default::default()
    })
}

fn role_to_upstream(index: usize, role: &str) -> Result<up::MessageRole, Status> {
    Ok(match role.trim().to_ascii_lowercase().as_str() {
        "user" => up::MessageRole::RoleUser,
        "assistant" => up::MessageRole::RoleAssistant,
        "system" => up::MessageRole::RoleSystem,
        "tool" => up::MessageRole::RoleTool,
        "developer" => up::MessageRole::RoleDeveloper,
        other => {
            return Err(Status::invalid_argument(format!(
                "message {index} has role {other:?}: use system, user, assistant, tool or developer"
            )))
        }
    })
}

/// The role name the reference uses for an upstream role (answers are the assistant's).
fn role_name(upstream: i32) -> &'static str {
    match up::MessageRole::try_from(upstream) {
        Ok(up::MessageRole::RoleUser) => "user",
        Ok(up::MessageRole::RoleSystem) => "system",
        Ok(up::MessageRole::RoleFunction) => "function",
        Ok(up::MessageRole::RoleTool) => "tool",
        Ok(up::MessageRole::RoleDeveloper) => "developer",
        Ok(up::MessageRole::RoleAssistant) | Ok(up::MessageRole::InvalidRole) | Err(_) => "assistant",
    }
}

fn message_to_upstream(index: usize, message: Message) -> Result<up::Message, Status> {
    use up::content::Content;
    let role = role_to_upstream(index, &message.role)?;
    let mut content = Vec::with_capacity(1 + message.parts.len());
    if !message.content.is_empty() {
        content.push(Content::Text(message.content));
    }
    for part in message.parts.into_iter().filter_map(|part| part.part) {
        content.push(match part {
            Part::Text(text) => Content::Text(text),
            Part::ImageUrl(image) => Content::ImageUrl(convert::image_url(image)),
        });
    }
    if content.is_empty() && message.tool_calls.is_empty() {
        // The upstream expects every turn to say something; an empty text is the empty turn.
        content.push(Content::Text(String::new()));
    }
    Ok(up::Message {
        content: content.into_iter().map(|content| up::Content { content: Some(content) }).collect(),
        role: role as i32,
        name: message.name,
        tool_calls: message.tool_calls.into_iter().map(tool_call_to_upstream).collect(),
        reasoning_content: convert::non_empty(message.reasoning_content),
        tool_call_id: convert::non_empty(message.tool_call_id),
        ..Default::default()
    })
}

fn tool_call_to_upstream(call: ToolCall) -> up::ToolCall {
    let function = call.function.unwrap_or_default();
    up::ToolCall {
        id: call.id,
        function: Some(up::FunctionCall { name: function.name, arguments: function.arguments }),
        ..Default::default()
    }
}

fn tool_call_from_upstream(call: up::ToolCall) -> ToolCall {
    let function = call.function.unwrap_or_default();
    ToolCall { id: call.id, function: Some(FunctionCall { name: function.name, arguments: function.arguments }) }
}

/// The real API's whole answer in the reference's shape.
pub fn from_upstream(response: up::GetChatCompletionResponse) -> ChatCompletionResponse {
    let choices = response
        .outputs
        .into_iter()
        .map(|output| {
            let message = output.message.unwrap_or_default();
            Choice {
                index: output.index,
                message: Some(Message {
                    role: role_name(message.role).to_string(),
                    content: message.content,
                    reasoning_content: message.reasoning_content,
                    tool_calls: message.tool_calls.into_iter().map(tool_call_from_upstream).collect(),
                    ..Default::default()
                }),
                finish_reason: convert::finish_reason(output.finish_reason),
            }
        })
        .collect();
    ChatCompletionResponse {
        id: response.id,
        model: response.model,
        created: convert::seconds(response.created),
        choices,
        usage: convert::usage(response.usage),
        system_fingerprint: response.system_fingerprint,
    }
}

/// Translates stream chunks. Upstream usage is cumulative (each chunk's usage replaces the
/// last, as the official SDK accumulates it); a chunk without usage carries the latest one, so
/// the caller's last chunk always holds the whole call's usage and cost.
#[derive(Default)]
pub struct ChunkTranslator {
    usage: Option<Usage>,
}

impl ChunkTranslator {
    pub fn translate(&mut self, chunk: up::GetChatCompletionChunk) -> ChatCompletionChunk {
        if let Some(usage) = convert::usage(chunk.usage) {
            self.usage = Some(usage);
        }
        let choices = chunk
            .outputs
            .into_iter()
            .map(|output| {
                let delta = output.delta.unwrap_or_default();
                ChunkChoice {
                    index: output.index,
                    delta: Some(Delta {
                        role: if delta.role == 0 { String::new() } else { role_name(delta.role).to_string() },
                        content: delta.content,
                        reasoning_content: delta.reasoning_content,
                        tool_calls: delta.tool_calls.into_iter().map(tool_call_from_upstream).collect(),
                    }),
                    finish_reason: convert::finish_reason(output.finish_reason),
                }
            })
            .collect();
        ChatCompletionChunk { id: chunk.id, model: chunk.model, created: convert::seconds(chunk.created), choices, usage: self.usage }
    }
}
