//! Builds an answer from stream chunks, the way the real API's SDK does: content and reasoning
//! are appended per choice index, a chunk's usage replaces the previous one (it is cumulative),
//! tool calls arrive whole, and an index past the list grows it.
use crate::proto::{ChatCompletionChunk, ChatCompletionResponse, FinishReason, ToolCall, Usage};

/// One choice of an answer, as accumulated so far.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChoiceText {
    /// Answer text.
    pub content: String,
    /// Reasoning text.
    pub reasoning: String,
    /// Tool calls the model asked for.
    pub tool_calls: Vec<ToolCall>,
    /// Set when the choice is finished.
    pub finish_reason: Option<FinishReason>,
}

/// An answer, whole or in progress.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Answer {
    /// Completion id.
    pub id: String,
    /// Model that answers.
    pub model: String,
    /// Choices by index.
    pub choices: Vec<ChoiceText>,
    /// Latest cumulative usage.
    pub usage: Option<Usage>,
    /// Stream messages received.
    pub chunks: usize,
}

impl Answer {
    /// Adds one stream chunk.
    pub fn apply(&mut self, chunk: ChatCompletionChunk) {
        self.chunks += 1;
        if self.id.is_empty() {
            self.id = chunk.id;
        }
        if self.model.is_empty() {
            self.model = chunk.model;
        }
        for choice in chunk.choices {
            let finish = choice.finish_reason();
            let slot = self.choice_mut(choice.index);
            if let Some(delta) = choice.delta {
                slot.content.push_str(&delta.content);
                slot.reasoning.push_str(&delta.reasoning_content);
                slot.tool_calls.extend(delta.tool_calls);
            }
            if finish != FinishReason::Unspecified {
                slot.finish_reason = Some(finish);
            }
        }
        if chunk.usage.is_some() {
            self.usage = chunk.usage;
        }
    }

    /// An answer from a unary response.
    pub fn from_response(response: ChatCompletionResponse) -> Self {
        let mut answer = Answer { id: response.id, model: response.model, usage: response.usage, ..Default::default() };
        for choice in response.choices {
            let finish = choice.finish_reason();
            let slot = answer.choice_mut(choice.index);
            if let Some(message) = choice.message {
                slot.content = message.content;
                slot.reasoning = message.reasoning_content;
                slot.tool_calls = message.tool_calls;
            }
            slot.finish_reason = Some(finish);
        }
        answer
    }

    /// The first choice (what a one-answer chat shows).
    pub fn first(&self) -> Option<&ChoiceText> {
        self.choices.first()
    }

    fn choice_mut(&mut self, index: i32) -> &mut ChoiceText {
        let index = usize::try_from(index).unwrap_or(0);
        if self.choices.len() <= index {
            self.choices.resize_with(index + 1, ChoiceText::default);
        }
        &mut self.choices[index]
    }
}

/// "stop", "length", … for a finish reason.
pub fn finish_reason_label(reason: FinishReason) -> &'static str {
    match reason {
        FinishReason::Unspecified => "unknown",
        FinishReason::Stop => "stop",
        FinishReason::Length => "max tokens reached",
        FinishReason::MaxContext => "context full",
        FinishReason::ToolCalls => "tool calls",
        FinishReason::TimeLimit => "time limit",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::{Choice, ChunkChoice, Delta, Message};

    fn chunk(index: i32, content: &str, reasoning: &str, finish: FinishReason, usage: Option<Usage>) -> ChatCompletionChunk {
        ChatCompletionChunk {
            id: "c1".into(),
            model: "grok-4".into(),
            choices: vec![ChunkChoice {
                index,
                delta: Some(Delta { content: content.into(), reasoning_content: reasoning.into(), ..Default::default() }),
                finish_reason: finish as i32,
            }],
            usage,
            ..Default::default()
        }
    }

    #[test]
    fn deltas_append_and_usage_replaces() {
        let mut answer = Answer::default();
        answer.apply(chunk(0, "", "Think", FinishReason::Unspecified, None));
        answer.apply(chunk(0, "Hel", " more", FinishReason::Unspecified, Some(Usage { completion_tokens: 1, ..Default::default() })));
        answer.apply(chunk(0, "lo", "", FinishReason::Stop, Some(Usage { completion_tokens: 2, cost_usd_ticks: 9, ..Default::default() })));
        let first = answer.first().unwrap();
        assert_eq!(first.content, "Hello");
        assert_eq!(first.reasoning, "Think more");
        assert_eq!(first.finish_reason, Some(FinishReason::Stop));
        assert_eq!(answer.usage.as_ref().unwrap().completion_tokens, 2);
        assert_eq!(answer.usage.unwrap().cost_usd_ticks, 9);
        assert_eq!(answer.chunks, 3);
        assert_eq!(answer.model, "grok-4");
    }

    #[test]
    fn an_index_past_the_list_grows_it() {
        let mut answer = Answer::default();
        answer.apply(chunk(2, "third", "", FinishReason::Unspecified, None));
        answer.apply(chunk(0, "first", "", FinishReason::Unspecified, None));
        assert_eq!(answer.choices.len(), 3);
        assert_eq!(answer.choices[0].content, "first");
        assert_eq!(answer.choices[1], ChoiceText::default());
        assert_eq!(answer.choices[2].content, "third");
    }

    #[test]
    fn a_unary_response_reads_like_the_finished_stream() {
        let response = ChatCompletionResponse {
            id: "c1".into(),
            model: "grok-4".into(),
            choices: vec![Choice {
                index: 0,
                message: Some(Message { role: "assistant".into(), content: "Hello".into(), ..Default::default() }),
                finish_reason: FinishReason::Stop as i32,
            }],
            ..Default::default()
        };
        let answer = Answer::from_response(response);
        assert_eq!(answer.first().unwrap().content, "Hello");
        assert_eq!(answer.first().unwrap().finish_reason, Some(FinishReason::Stop));
    }
}
