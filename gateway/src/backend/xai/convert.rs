//! Translations shared by several services: usage, finish reasons, timestamps, images.
use crate::{
    proto::{FinishReason, ImageDetail, ImageUrl, Usage},
    upstream_proto as up,
};

/// Upstream usage in the reference's shape (cached prompt tokens are text tokens upstream).
pub fn usage(usage: Option<up::SamplingUsage>) -> Option<Usage> {
    usage.map(|usage| Usage {
        prompt_tokens: usage.prompt_tokens,
        completion_tokens: usage.completion_tokens,
        total_tokens: usage.total_tokens,
        reasoning_tokens: usage.reasoning_tokens,
        cached_prompt_tokens: usage.cached_prompt_text_tokens,
        prompt_image_tokens: usage.prompt_image_tokens,
        cost_usd_ticks: usage.cost_in_usd_ticks.unwrap_or(0),
    })
}

/// Upstream finish reason (its own numbering) as the reference's enum value.
pub fn finish_reason(upstream: i32) -> i32 {
    let reason = match up::FinishReason::try_from(upstream) {
        Ok(up::FinishReason::ReasonMaxLen) => FinishReason::Length,
        Ok(up::FinishReason::ReasonMaxContext) => FinishReason::MaxContext,
        Ok(up::FinishReason::ReasonStop) => FinishReason::Stop,
        Ok(up::FinishReason::ReasonToolCalls) => FinishReason::ToolCalls,
        Ok(up::FinishReason::ReasonTimeLimit) => FinishReason::TimeLimit,
        Ok(up::FinishReason::ReasonInvalid) | Err(_) => FinishReason::Unspecified,
    };
    reason as i32
}

/// Unix seconds of an upstream timestamp (0 when absent).
pub fn seconds(timestamp: Option<up::Timestamp>) -> i64 {
    timestamp.map_or(0, |timestamp| timestamp.seconds)
}

/// Upstream modalities (same numbering as the reference; unknown ones become UNSPECIFIED).
pub fn modalities(upstream: Vec<i32>) -> Vec<i32> {
    upstream.into_iter().map(|value| if (1..=3).contains(&value) { value } else { 0 }).collect()
}

/// An input image for the upstream (chat vision parts and image edits).
pub fn image_url(image: ImageUrl) -> up::ImageUrlContent {
    let detail = match ImageDetail::try_from(image.detail) {
        Ok(ImageDetail::Auto) => 1,
        Ok(ImageDetail::Low) => 2,
        Ok(ImageDetail::High) => 3,
        Ok(ImageDetail::Unspecified) | Err(_) => 0,
    };
    up::ImageUrlContent { image_url: image.url, detail }
}

/// `Some(text)` unless it is empty (proto3 `optional` strings upstream).
pub fn non_empty(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}
