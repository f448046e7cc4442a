//! Sample: RawSample(Stream) <-> SampleText / SampleTextStreaming.
use tonic::Status;

use super::{call, convert, Upstream};
use crate::{
    backend::{BoxStream, Caller},
    proto::{RawSampleChunk, RawSampleRequest, RawSampleResponse, SampleChoice, Usage},
    upstream_proto::{self as up, sample_client::SampleClient},
};

pub async fn sample(upstream: &Upstream, caller: &Caller, request: RawSampleRequest) -> Result<RawSampleResponse, Status> {
    let request = call::request(caller, to_upstream(request))?;
    let response = call::unary(upstream_client!(upstream, SampleClient).sample_text(request).await)?;
    Ok(RawSampleResponse {
        id: response.id,
        model: response.model,
        created: convert::seconds(response.created),
        choices: choices(response.choices),
        usage: convert::usage(response.usage),
    })
}

pub async fn stream(upstream: &Upstream, caller: &Caller, request: RawSampleRequest) -> Result<BoxStream<RawSampleChunk>, Status> {
    let request = call::request(caller, to_upstream(request))?;
    // Cumulative usage: each message's replaces the last; a message without one repeats it.
    let mut latest_usage: Option<Usage> = None;
    call::stream(upstream_client!(upstream, SampleClient).sample_text_streaming(request).await, move |message: up::SampleTextResponse| {
        if let Some(usage) = convert::usage(message.usage) {
            latest_usage = Some(usage);
        }
        RawSampleChunk {
            id: message.id,
            model: message.model,
            created: convert::seconds(message.created),
            choices: choices(message.choices),
            usage: latest_usage,
        }
    })
}

fn to_upstream(request: RawSampleRequest) -> up::SampleTextRequest {
    up::SampleTextRequest {
        prompt: vec![request.prompt],
        model: request.model,
        max_tokens: request.max_tokens,
        n: request.n,
        presence_penalty: request.presence_penalty,
        seed: request.seed,
        stop: request.stop,
        frequency_penalty: request.frequency_penalty,
        temperature: request.temperature,
        top_p: request.top_p,
        user: request.user,
        ..Default::default()
    }
}

fn choices(choices: Vec<up::SampleChoice>) -> Vec<SampleChoice> {
    choices
        .into_iter()
        .map(|choice| SampleChoice { index: choice.index, text: choice.text, finish_reason: convert::finish_reason(choice.finish_reason) })
        .collect()
}
