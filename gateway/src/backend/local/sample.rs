//! Raw sampling: a deterministic continuation of a prompt, whole or as stream chunks.
use tonic::Status;

use super::{
    catalog,
    chat::{cost_usd_ticks, limit_tokens, validate_sampling},
    text,
};
use crate::proto::{FinishReason, RawSampleChunk, RawSampleRequest, RawSampleResponse, SampleChoice, Usage};

pub struct Sampled {
    model_name: String,
    /// Per choice: tokens and why they end.
    choices: Vec<(Vec<String>, FinishReason)>,
    usage: Usage,
}

pub fn sample(request: &RawSampleRequest) -> Result<Sampled, Status> {
    let model = catalog::find_language_model(&request.model)?;
    let n = validate_sampling(request.temperature, request.top_p, request.n, request.max_tokens)?;
    if request.prompt.is_empty() {
        return Err(Status::invalid_argument("prompt is empty: give the text to continue"));
    }
    let prompt_tokens = text::count_prompt_tokens(&request.prompt);
    if prompt_tokens > i64::from(model.max_prompt_length) {
        return Err(Status::invalid_argument(format!(
            "prompt is {prompt_tokens} tokens, model {} accepts at most {}",
            model.name, model.max_prompt_length
        )));
    }
    let choices: Vec<_> =
        (0..n as u32).map(|index| limit_tokens(&text::continuation(&request.prompt, index), &request.stop, request.max_tokens)).collect();
    let completion_tokens: i64 = choices.iter().map(|(tokens, _)| tokens.len() as i64).sum();
    let usage = Usage {
        prompt_tokens: prompt_tokens as i32,
        completion_tokens: completion_tokens as i32,
        total_tokens: (prompt_tokens + completion_tokens) as i32,
        cost_usd_ticks: cost_usd_ticks(&model, prompt_tokens, 0, completion_tokens),
        ..Default::default()
    };
    Ok(Sampled { model_name: model.name, choices, usage })
}

impl Sampled {
    pub fn into_response(self, id: String, created: i64) -> RawSampleResponse {
        let choices = self
            .choices
            .into_iter()
            .enumerate()
            .map(|(index, (tokens, finish))| SampleChoice { index: index as i32, text: tokens.concat(), finish_reason: finish as i32 })
            .collect();
        RawSampleResponse { id, model: self.model_name, created, choices, usage: Some(self.usage) }
    }

    /// One chunk per token step with a delta per choice; the last carries finish reasons and usage.
    pub fn into_chunks(self, id: String, created: i64) -> Vec<RawSampleChunk> {
        let steps = self.choices.iter().map(|(tokens, _)| tokens.len()).max().unwrap_or(0);
        let mut chunks: Vec<RawSampleChunk> = (0..steps)
            .map(|step| RawSampleChunk {
                id: id.clone(),
                model: self.model_name.clone(),
                created,
                choices: self
                    .choices
                    .iter()
                    .enumerate()
                    .map(|(index, (tokens, _))| SampleChoice {
                        index: index as i32,
                        text: tokens.get(step).cloned().unwrap_or_default(),
                        finish_reason: 0,
                    })
                    .collect(),
                usage: None,
            })
            .collect();
        chunks.push(RawSampleChunk {
            id,
            model: self.model_name,
            created,
            choices: self
                .choices
                .iter()
                .enumerate()
                .map(|(index, (_, finish))| SampleChoice { index: index as i32, text: String::new(), finish_reason: *finish as i32 })
                .collect(),
            usage: Some(self.usage),
        });
        chunks
    }
}
