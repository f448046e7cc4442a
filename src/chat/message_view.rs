//! One message of the thread. The answer streaming right now reads the live signal; every other
//! message renders from its stored copy.
use leptos::prelude::*;

use super::{
    composer::PickedModel,
    conversation::{ChatMessage, MessageStatus, Role},
    failure_note::FailureNote,
    state::ChatState,
    user_message::UserMessage,
    version_switcher::VersionSwitcher,
};
use crate::{
    api::use_api,
    components::{CopyButton, Icon, MarkdownView, ToolButton},
    format,
};

/// A message bubble with its toolbar. It reads its message from the conversation by id, so a
/// saved change (a checkpoint, the final answer, another version shown) updates this bubble
/// only, and the answer streaming right now reads the live signal instead.
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
    let streaming = Memo::new(move |_| current.with(|m| m.status == MessageStatus::Streaming));
    let reasoning = move || current.with(|m| m.reasoning.clone());
    let status_note = move || match current.with(|m| m.status.clone()) {
        MessageStatus::Stopped => Some(("stopped", "Stopped: this answer is partial.")),
        MessageStatus::Interrupted => Some(("interrupted", "Interrupted: the page closed while this answer streamed.")),
        _ => None,
    };
    let is_failed = move || current.with(|m| matches!(m.status, MessageStatus::Failed { .. }));
    let retry_label = move || match current.with(|m| m.status.clone()) {
        MessageStatus::Stopped | MessageStatus::Interrupted | MessageStatus::Failed { .. } => Some("Retry"),
        // Later turns build on the last answer: only that one is regenerated.
        MessageStatus::Complete if is_last.get() => Some("Regenerate"),
        MessageStatus::Complete => None,
        MessageStatus::Streaming => None,
    };
    let busy = move || state.phase.get().busy();
    let ids = StoredValue::new((conversation_id, id.clone()));
    let api = StoredValue::new_local(use_api());
    // The model picked in the composer now, not the one that wrote this answer.
    let picked = use_context::<PickedModel>();
    let retry = Callback::new(move |()| {
        let (conversation_id, message_id) = ids.get_value();
        let model = picked.map(|p| p.0.get_untracked()).unwrap_or_default();
        state.regenerate(api.get_value(), conversation_id, message_id, model);
    });
    let branch = Callback::new(move |()| {
        let (conversation_id, message_id) = ids.get_value();
        state.branch_at(&conversation_id, &message_id);
    });
    let failed_id = id.clone();
    let select = Callback::new(move |number: usize| {
        let (conversation_id, message_id) = ids.get_value();
        state.select_version(&conversation_id, &message_id, number);
    });

    view! {
        <div class="message assistant" data-id=id.clone() data-status=move || current.with(|m| format!("{:?}", m.status).split([' ', '{']).next().unwrap_or("").to_lowercase())>
            <Show when=move || !reasoning().is_empty()>
                <details class="reasoning" open=move || current.with(|m| m.status == MessageStatus::Streaming)>
                    <summary>"Reasoning"</summary>
                    <p class="reasoning-text">{reasoning}</p>
                </details>
            </Show>
            <div class="answer-text"><MarkdownView text=content streaming/></div>
            {move || status_note().map(|(kind, note)| view! { <p class=format!("status-note {kind}") role="status">{note}</p> })}
            <Show when=is_failed>
                <FailureNote message_id=failed_id.clone() status=Signal::derive(move || current.with(|m| m.status.clone()))/>
            </Show>
            <footer class="answer-meta">
                {move || current.with(|m| (!m.model.is_empty()).then(|| m.model.clone())).map(|model| view! {
                    <span class="answer-model" title="The model that wrote this answer">{model}</span>
                })}
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
            </footer>
            <div class="message-toolbar" role="toolbar" aria-label="Answer actions">
                <VersionSwitcher
                    number=Signal::derive(move || current.with(ChatMessage::version_number))
                    count=Signal::derive(move || current.with(ChatMessage::version_count))
                    locked=Signal::derive(move || busy() || is_live.get())
                    on_select=select/>
                <Show when=move || content.with(|text| !text.is_empty())>
                    <CopyButton text=content what="Copy answer"/>
                </Show>
                {move || retry_label().filter(|_| !busy()).map(|label| {
                    let class = if label == "Retry" { "retry" } else { "retry regenerate" };
                    view! { <ToolButton icon=Icon::Regenerate label=label class=class on_click=retry/> }
                })}
                <ToolButton icon=Icon::Branch label="Branch" class="branch" on_click=branch disabled=Signal::derive(move || busy() || is_live.get())/>
            </div>
        </div>
    }
    .into_any()
}
