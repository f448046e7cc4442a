//! The Chat page: pick a model, write, and watch the answer stream in (or arrive whole).
use futures_util::future::{AbortHandle, Abortable};
use leptos::{prelude::*, task::spawn_local};

use super::{answer_view::AnswerView, retry::RetryPolicy, Answer};
use crate::{
    api::Api,
    app::use_api,
    components::ErrorView,
    error::AppError,
    proto::{ChatCompletionRequest, Message},
};

/// Where the current request is.
#[derive(Clone, Debug, PartialEq)]
enum Phase {
    Idle,
    Waiting,
    /// Waiting this many milliseconds before retry number `attempt`.
    Retrying { delay_ms: u64, attempt: u32 },
    Streaming,
    Done,
    Stopped,
    Failed(AppError),
}

async fn run(api: Api, request: ChatCompletionRequest, stream: bool, answer: RwSignal<Answer>, phase: RwSignal<Phase>) {
    if !stream {
        match api.chat(request).await {
            Ok(response) => {
                answer.set(Answer::from_response(response));
                phase.set(Phase::Done);
            }
            Err(error) => phase.set(Phase::Failed(error)),
        }
        return;
    }
    // Failures before the first message are retried with backoff (visible, stoppable); after
    // it, never: what arrived stays and the error shows.
    let mut policy = RetryPolicy::default();
    let started = web_time_ms();
    let mut chunks = loop {
        match api.chat_stream(request.clone()).await {
            Ok(chunks) => break chunks,
            Err(error) => {
                let elapsed = std::time::Duration::from_millis(web_time_ms().saturating_sub(started));
                match policy.next_delay(&error, elapsed, js_sys::Math::random()) {
                    Some(delay) => {
                        phase.set(Phase::Retrying { delay_ms: delay.as_millis() as u64, attempt: policy.attempts() });
                        gloo_timers::future::sleep(delay).await;
                        phase.set(Phase::Waiting);
                    }
                    None => return phase.set(Phase::Failed(error)),
                }
            }
        }
    };
    while let Some(next) = chunks.next().await {
        match next {
            Ok(chunk) => {
                phase.set(Phase::Streaming);
                answer.update(|a| a.apply(chunk));
            }
            // What arrived stays on screen; the error shows below it.
            Err(error) => return phase.set(Phase::Failed(error)),
        }
    }
    phase.set(Phase::Done);
}

/// Milliseconds since the page loaded (monotonic).
fn web_time_ms() -> u64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now() as u64).unwrap_or(0)
}

/// The chat page.
#[component]
pub fn ChatPage() -> impl IntoView {
    // Stored so that the handlers below are Copy and can be shared.
    let api = StoredValue::new_local(use_api());
    let models = LocalResource::new(move || {
        let api = api.get_value();
        async move { api.list_language_models().await }
    });
    let model = RwSignal::new(String::new());
    let prompt = RwSignal::new(String::new());
    let streaming = RwSignal::new(true);
    let answer = RwSignal::new(Answer::default());
    let phase = RwSignal::new(Phase::Idle);
    let abort = StoredValue::new_local(None::<AbortHandle>);

    let busy = move || matches!(phase.get(), Phase::Waiting | Phase::Retrying { .. } | Phase::Streaming);
    let send = move || {
        let text = prompt.get_untracked();
        if text.trim().is_empty() || busy() {
            return;
        }
        let chosen = model.get_untracked();
        let chosen = if chosen.is_empty() {
            models.get_untracked().and_then(|r| r.ok()).and_then(|m| m.first().map(|m| m.name.clone())).unwrap_or_default()
        } else {
            chosen
        };
        let request = ChatCompletionRequest {
            model: chosen,
            messages: vec![Message { role: "user".into(), content: text, ..Default::default() }],
            ..Default::default()
        };
        answer.set(Answer::default());
        phase.set(Phase::Waiting);
        let (handle, registration) = AbortHandle::new_pair();
        abort.set_value(Some(handle));
        let work = Abortable::new(run(api.get_value(), request, streaming.get_untracked(), answer, phase), registration);
        spawn_local(async move {
            // Aborting drops the stream, which aborts the fetch: the server sees the call cancelled.
            if work.await.is_err() {
                phase.set(Phase::Stopped);
            }
        });
    };
    let stop = move || {
        if let Some(handle) = abort.get_value() {
            handle.abort();
        }
    };

    view! {
        <section class="chat">
            <h1>"Chat"</h1>
            <form class="composer" on:submit=move |event| {
                event.prevent_default();
                send();
            }>
                <div class="toolbar">
                    <select id="chat-model" aria-label="Model" on:change=move |event| model.set(event_target_value(&event))>
                        {move || models.get().map(|result| match result {
                            Ok(list) => list.into_iter().map(|m| view! { <option value=m.name.clone()>{m.name.clone()}</option> }).collect_view().into_any(),
                            Err(_) => view! { <option value="">"(models unavailable)"</option> }.into_any(),
                        })}
                    </select>
                    <label class="inline">
                        <input id="chat-stream" type="checkbox" prop:checked=move || streaming.get()
                            on:change=move |event| streaming.set(event_target_checked(&event))/>
                        "Stream"
                    </label>
                </div>
                <textarea id="chat-prompt" rows="4" placeholder="Ask anything (Enter sends, Shift+Enter for a new line)"
                    prop:value=move || prompt.get()
                    on:input=move |event| prompt.set(event_target_value(&event))
                    on:keydown=move |event| {
                        if event.key() == "Enter" && !event.shift_key() {
                            event.prevent_default();
                            send();
                        } else if event.key() == "Escape" {
                            stop();
                        }
                    }></textarea>
                <div class="actions">
                    <button id="chat-send" type="submit" disabled=busy>"Send"</button>
                    <button id="chat-stop" type="button" disabled=move || !busy() on:click=move |_| stop()>"Stop"</button>
                    <span class="phase" data-phase=move || format!("{:?}", phase.get()).split('(').next().unwrap_or("").to_lowercase()>
                        {move || match phase.get() {
                            Phase::Waiting => "Waiting for the first token …".to_owned(),
                            Phase::Retrying { delay_ms, attempt } => {
                                format!("Service unavailable: retrying in {:.1} s (retry {attempt}); Stop cancels.", delay_ms as f64 / 1000.0)
                            }
                            Phase::Streaming => "Streaming …".to_owned(),
                            Phase::Stopped => "Stopped: the partial answer is kept.".to_owned(),
                            _ => String::new(),
                        }}
                    </span>
                </div>
            </form>
            {move || models.get().and_then(|r| r.err()).map(|error| view! { <ErrorView error/> })}
            <Show when=move || phase.get() != Phase::Idle>
                <AnswerView answer/>
            </Show>
            {move || match phase.get() {
                Phase::Failed(error) => Some(view! { <ErrorView error/> }),
                _ => None,
            }}
        </section>
    }
}
