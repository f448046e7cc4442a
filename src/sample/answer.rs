//! The choices of a raw sample, built from a unary response or from stream chunks: each chunk's
//! text is appended to the choice of its index, a finish reason closes a choice, and the latest
//! usage (cumulative) replaces the one before.
use crate::proto::{FinishReason, RawSampleChunk, RawSampleResponse, SampleChoice, Usage};

/// One choice so far.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChoiceSoFar {
    /// The continuation.
    pub text: String,
    /// Set once the choice is finished.
    pub finish_reason: Option<FinishReason>,
}

/// A sample, whole or in progress.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SampleAnswer {
    /// Model that answers.
    pub model: String,
    /// Choices by index.
    pub choices: Vec<ChoiceSoFar>,
    /// Latest usage.
    pub usage: Option<Usage>,
}

impl SampleAnswer {
    /// `n` empty choices, so every column shows from the start.
    pub fn expecting(n: usize) -> Self {
        SampleAnswer { choices: vec![ChoiceSoFar::default(); n], ..Default::default() }
    }

    /// Adds one stream chunk.
    pub fn apply(&mut self, chunk: RawSampleChunk) {
        if self.model.is_empty() {
            self.model = chunk.model;
        }
        for choice in chunk.choices {
            self.absorb(choice, true);
        }
        if chunk.usage.is_some() {
            self.usage = chunk.usage;
        }
    }

    /// The answer of a unary call.
    pub fn from_response(response: RawSampleResponse) -> Self {
        let mut answer = SampleAnswer { model: response.model, usage: response.usage, ..Default::default() };
        for choice in response.choices {
            answer.absorb(choice, false);
        }
        answer
    }

    /// Whether every choice has its finish reason.
    pub fn is_complete(&self) -> bool {
        !self.choices.is_empty() && self.choices.iter().all(|choice| choice.finish_reason.is_some())
    }

    fn absorb(&mut self, choice: SampleChoice, append: bool) {
        let finish = choice.finish_reason();
        let index = usize::try_from(choice.index).unwrap_or(0);
        if self.choices.len() <= index {
            self.choices.resize_with(index + 1, ChoiceSoFar::default);
        }
        let slot = &mut self.choices[index];
        if append {
            slot.text.push_str(&choice.text);
        } else {
            slot.text = choice.text;
        }
        if finish != FinishReason::Unspecified {
            slot.finish_reason = Some(finish);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(index: i32, text: &str, finish: FinishReason) -> SampleChoice {
        SampleChoice { index, text: text.into(), finish_reason: finish as i32 }
    }

    fn chunk(choices: Vec<SampleChoice>, usage: Option<Usage>) -> RawSampleChunk {
        RawSampleChunk { model: "grok-3-mini".into(), choices, usage, ..Default::default() }
    }

    #[test]
    fn chunks_append_by_index_and_finish_per_choice() {
        let mut answer = SampleAnswer::expecting(3);
        answer.apply(chunk(vec![choice(0, "The", FinishReason::Unspecified), choice(2, "A", FinishReason::Unspecified)], None));
        answer.apply(chunk(vec![choice(0, " end", FinishReason::Unspecified), choice(1, "Once", FinishReason::Unspecified)], None));
        assert_eq!(answer.choices.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(), ["The end", "Once", "A"]);
        assert!(!answer.is_complete());
        let usage = Usage { completion_tokens: 4, cost_usd_ticks: 77, ..Default::default() };
        answer.apply(chunk(
            vec![choice(0, "", FinishReason::Stop), choice(1, "", FinishReason::Length), choice(2, "", FinishReason::Stop)],
            Some(usage),
        ));
        assert!(answer.is_complete());
        assert_eq!(answer.choices[1].finish_reason, Some(FinishReason::Length));
        assert_eq!(answer.usage.unwrap().cost_usd_ticks, 77);
        assert_eq!(answer.model, "grok-3-mini");
    }

    #[test]
    fn an_index_past_the_expected_count_grows_the_list() {
        let mut answer = SampleAnswer::expecting(1);
        answer.apply(chunk(vec![choice(2, "late", FinishReason::Unspecified)], None));
        assert_eq!(answer.choices.len(), 3);
        assert_eq!(answer.choices[2].text, "late");
    }

    #[test]
    fn a_unary_response_reads_like_a_finished_stream() {
        let response = RawSampleResponse {
            model: "grok-3".into(),
            choices: vec![choice(1, "second", FinishReason::Stop), choice(0, "first", FinishReason::Length)],
            usage: Some(Usage { cost_usd_ticks: 5, ..Default::default() }),
            ..Default::default()
        };
        let answer = SampleAnswer::from_response(response);
        assert_eq!(answer.choices[0].text, "first");
        assert_eq!(answer.choices[1].finish_reason, Some(FinishReason::Stop));
        assert!(answer.is_complete());
    }
}
