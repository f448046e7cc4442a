//! One request's outcome: a chat answer (model output, so rendered as sanitised markdown), the
//! images of an image request, or the error that request ended with.
use leptos::prelude::*;

use crate::{
    chat::finish_reason_label,
    components::MarkdownView,
    error::code_name,
    format,
    proto::{batch_result::Outcome, generated_image::Image, BatchResult, ChatCompletionResponse, ImageResponse},
};

/// A result card; `data-outcome` is "answer", "image" or "error".
#[component]
pub fn ResultView(result: BatchResult) -> impl IntoView {
    let (kind, body) = match result.outcome {
        Some(Outcome::CompletionResponse(response)) => ("answer", chat_answer(response).into_any()),
        Some(Outcome::ImageResponse(response)) => ("image", images(response).into_any()),
        Some(Outcome::Error(error)) => {
            let code = tonic::Code::from(error.code);
            (
                "error",
                view! {
                    <p class="result-error" role="note">
                        <strong>{format!("Failed: {} ({})", code_name(code), error.code)}</strong>
                        " " <span class="error-detail">{error.message}</span>
                    </p>
                }
                .into_any(),
            )
        }
        None => ("empty", view! { <p class="muted">"No outcome recorded."</p> }.into_any()),
    };
    let (id, label) = (result.batch_request_id.clone(), result.batch_request_id);
    view! {
        <li class="card batch-result" data-outcome=kind data-request=id>
            <span class="result-id muted">{label}</span>
            {body}
        </li>
    }
}

/// "model · 110 tokens · cost $0.0011"; image calls have no tokens worth showing.
fn usage_line(model: &str, usage: Option<crate::proto::Usage>) -> String {
    match usage {
        Some(usage) if usage.total_tokens > 0 => {
            format!("{model} · {} tokens · cost {}", usage.total_tokens, format::cost(usage.cost_usd_ticks))
        }
        Some(usage) => format!("{model} · cost {}", format::cost(usage.cost_usd_ticks)),
        None => model.to_owned(),
    }
}

fn chat_answer(response: ChatCompletionResponse) -> impl IntoView {
    let usage = usage_line(&response.model, response.usage);
    view! {
        {response.choices.into_iter().map(|choice| {
            let finish = finish_reason_label(choice.finish_reason());
            let text = choice.message.map(|m| m.content).unwrap_or_default();
            view! {
                <div class="result-text"><MarkdownView text=Signal::stored(text)/></div>
                <span class="badge finish-reason">{finish}</span>
            }
        }).collect_view()}
        <span class="muted result-usage">{usage}</span>
    }
}

fn images(response: ImageResponse) -> impl IntoView {
    let usage = usage_line(&response.model, response.usage);
    view! {
        <div class="image-grid">
            {response.images.into_iter().map(|image| {
                let mime = if image.mime_type.starts_with("image/") { image.mime_type.clone() } else { "image/png".to_owned() };
                let src = match image.image {
                    Some(Image::Base64(data)) => format!("data:{mime};base64,{data}"),
                    // Only web URLs: a javascript: or other scheme from the server is not followed.
                    Some(Image::Url(url)) if url.starts_with("https://") || url.starts_with("http://") => url,
                    _ => String::new(),
                };
                view! { <img class="generated" src=src alt=image.revised_prompt.clone() width=image.width height=image.height/> }
            }).collect_view()}
        </div>
        <span class="muted result-usage">{usage}</span>
    }
}
