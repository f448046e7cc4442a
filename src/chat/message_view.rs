//! One message of the thread. The answer streaming right now reads the live signal; every other
//! message renders from its stored copy.
use leptos::prelude::*;

use super::{
    conversation::{ChatMessage, MessageStatus, Role},
    state::ChatState,
};
use crate::{
    app::use_api,
    components::{file_io::copy_text, MarkdownView},
    format,
};

/// A message bubble with its actions. It reads its message from the conversation by id, so a
/// saved change (a checkpoint, the final answer) updates this bubble only, and the answer
/// streaming right now reads the live signal instead.
#[component]
pub fn MessageView(conversation_id: String, message: ChatMessage, #[prop(into)] is_last: Signal<bool>) -> impl IntoView {
    let state = expect_context::<ChatState>();
    if message.role == Role::User {
        return view! { <UserMessage conversation_id message/> }.into_any();
    }

    let id = message.id.clone();
    let stored = Memo::new({
        let (conversation_id, id) = (conversation_id.clone(), id.clone());
        move |_| {
            state.conversations.with(|all| {
                all.iter()
                    .find(|c| c.id == conversation_id)
                    .and_then(|c| c.messages.iter().find(|m| m.id == id).cloned())
                    .unwrap_or_else(|| message.clone())
            })
        }
    });
    let is_live = Memo::new({
        let id = id.clone();
        move |_| state.live_id.with(|live| live.as_deref() == Some(id.as_str()))
    });
    let current = Memo::new(move |_| {
        if !is_live.get() {
            return stored.get();
        }
        state.live.with(|live| {
            let mut message = stored.get();
            if let Some(live) = live {
                message.absorb(&live.answer);
            }
            message.status = MessageStatus::Streaming;
            message
        })
    });
    let content = Signal::derive(move || current.with(|m| m.content.clone()));
    let reasoning = move || current.with(|m| m.reasoning.clone());
    let status_note = move || match current.with(|m| m.status.clone()) {
        MessageStatus::Stopped => Some(("stopped", "Stopped: this answer is partial.".to_owned())),
        MessageStatus::Interrupted => Some(("interrupted", "Interrupted: the page closed while this answer streamed.".to_owned())),
        MessageStatus::Failed { message, .. } => Some(("failed", message)),
        _ => None,
    };
    let retry_label = move || match current.with(|m| m.status.clone()) {
        MessageStatus::Stopped | MessageStatus::Interrupted | MessageStatus::Failed { .. } => Some("Retry"),
        MessageStatus::Complete if is_last.get() => Some("Regenerate"),
        _ => None,
    };
    let retry = {
        let (conversation_id, id) = (conversation_id.clone(), id.clone());
        let api = StoredValue::new_local(use_api());
        move |_| state.start(api.get_value(), conversation_id.clone(), id.clone(), true)
    };

    view! {
        <div class="message assistant" data-id=id.clone() data-status=move || current.with(|m| format!("{:?}", m.status).split([' ', '{']).next().unwrap_or("").to_lowercase())>
            <Show when=move || !reasoning().is_empty()>
                <details class="reasoning" open=move || current.with(|m| m.status == MessageStatus::Streaming)>
                    <summary>"Reasoning"</summary>
                    <p class="reasoning-text">{reasoning}</p>
                </details>
            </Show>
            <div class="answer-text"><MarkdownView text=content/></div>
            {move || status_note().map(|(kind, note)| view! { <p class=format!("status-note {kind}") role="status">{note}</p> })}
            <footer class="answer-meta">
                {move || current.with(|m| m.finish_reason.clone()).map(|reason| view! {
                    <span class="finish-reason" data-reason=reason.clone()>"Finished: " {reason.clone()}</span>
                })}
                {move || current.with(|m| m.usage).map(|usage| view! {
                    <span class="usage">
                        {format!(
                            "{} prompt + {} completion + {} reasoning tokens ({} cached)",
                            usage.prompt_tokens, usage.completion_tokens, usage.reasoning_tokens, usage.cached_prompt_tokens,
                        )}
                    </span>
                    {(usage.prompt_image_tokens > 0).then(|| view! {
                        <span class="image-tokens">{format!("{} prompt tokens from images", usage.prompt_image_tokens)}</span>
                    })}
                    <span class="cost">"Cost: " {format::cost(usage.cost_usd_ticks)}</span>
                })}
                <button type="button" class="link" on:click=move |_| copy_text(&content.get_untracked())>"Copy"</button>
                {move || retry_label().filter(|_| !state.phase.get().busy()).map(|label| {
                    let retry = retry.clone();
                    view! { <button type="button" class="link retry" on:click=retry>{label}</button> }
                })}
            </footer>
        </div>
    }
    .into_any()
}

/// A user message: text, thumbnails, Copy, and Edit (which resends as a branch).
#[component]
fn UserMessage(conversation_id: String, message: ChatMessage) -> impl IntoView {
    let state = expect_context::<ChatState>();
    let api = StoredValue::new_local(use_api());
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(message.content.clone());
    let text = message.content.clone();
    let ids = StoredValue::new((conversation_id, message.id.clone()));
    let resend = move || {
        let edited = draft.get_untracked();
        if !edited.trim().is_empty() {
            let (conversation_id, message_id) = ids.get_value();
            editing.set(false);
            state.branch(api.get_value(), &conversation_id, &message_id, edited);
        }
    };
    view! {
        <div class="message user" data-id=message.id.clone()>
            <div class="thumbs">
                {message.attachments.iter().map(|a| view! { <img class="thumb" src=a.data_url.clone() alt=a.name.clone()/> }).collect_view()}
            </div>
            <Show when=move || editing.get() fallback=move || view! { <p class="user-text">{text.clone()}</p> }>
                <textarea class="edit-message" rows="3" prop:value=move || draft.get() on:input=move |e| draft.set(event_target_value(&e))></textarea>
                <p class="muted">"Sending starts a branch: this chat stays as it is."</p>
            </Show>
            <div class="message-actions">
                <Show when=move || editing.get() fallback=move || {
                    let text = message.content.clone();
                    view! {
                        <button type="button" class="link" on:click=move |_| copy_text(&text)>"Copy"</button>
                        <button type="button" class="link edit" disabled=move || state.phase.get().busy() on:click=move |_| editing.set(true)>"Edit"</button>
                    }
                }>
                    <button type="button" class="link cancel-edit" on:click=move |_| editing.set(false)>"Cancel"</button>
                    <button type="button" class="link resend" on:click=move |_| resend()>"Send as branch"</button>
                </Show>
            </div>
        </div>
    }
}
