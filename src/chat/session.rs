//! Sending: a user message goes into the conversation, the answer streams into a live signal,
//! and the conversation is saved as the answer grows (batched, not per delta), so a reload loses
//! at most the last fraction of a second.
use std::time::Duration;

use futures_util::future::{AbortHandle, Abortable};
use leptos::{prelude::*, task::spawn_local};

use super::{
    conversation::{Attachment, ChatMessage, Conversation, MessageStatus},
    state::{ChatState, LiveAnswer},
    Answer,
};
use crate::{
    api::Api,
    error::AppError,
    proto::{ChatCompletionChunk, ChatCompletionRequest, ReasoningEffort},
    work::{
        clock::{new_id, now_ms, performance_now, SAVE_EVERY_MS, YIELD_EVERY_MS},
        live_calls::{self, LiveCall},
        phase::Phase,
        retry::{open_with_retries, RetryWait},
    },
};

/// The request for the answer at `answer_index` of a conversation.
pub fn build_request(conversation: &Conversation, answer_index: usize) -> ChatCompletionRequest {
    let params = &conversation.params;
    let reasoning_effort = match params.reasoning_effort.as_str() {
        "low" => ReasoningEffort::Low,
        "medium" => ReasoningEffort::Medium,
        "high" => ReasoningEffort::High,
        "none" => ReasoningEffort::None,
        _ => ReasoningEffort::Unspecified,
    };
    ChatCompletionRequest {
        model: conversation.model.clone(),
        messages: conversation.request_messages(answer_index),
        temperature: params.temperature,
        top_p: params.top_p,
        max_tokens: params.max_tokens,
        stop: params.stop.clone(),
        seed: params.seed,
        reasoning_effort: reasoning_effort as i32,
        ..Default::default()
    }
}

impl ChatState {
    /// Sends a user message in the selected conversation (creating one if none is selected).
    pub fn send(self, api: Api, text: String, attachments: Vec<Attachment>, model: String, stream: bool) {
        if self.phase.get_untracked().busy() {
            return;
        }
        let id = self.current.get_untracked().unwrap_or_else(|| self.create(model.clone()));
        let answer_id = new_id();
        self.modify(&id, |conversation| {
            if conversation.messages.is_empty() {
                conversation.title = Conversation::title_from(&text);
            }
            conversation.model = model.clone();
            conversation.updated_ms = now_ms();
            conversation.messages.push(ChatMessage::user(new_id(), text, attachments));
            conversation.messages.push(ChatMessage::pending_answer(answer_id.clone(), model));
        });
        self.start(api, id, answer_id, stream);
    }

    /// Edits an earlier user message and sends it again. The conversation as it was stays
    /// untouched; the edit starts a branch: a new conversation with the turns before the edited
    /// message, the edited message, and a fresh answer.
    pub fn branch(self, api: Api, conversation_id: &str, message_id: &str, text: String) {
        if self.phase.get_untracked().busy() {
            return;
        }
        let Some(original) = self.conversations.with_untracked(|all| all.iter().find(|c| c.id == conversation_id).cloned()) else {
            return;
        };
        let Some(index) = original.messages.iter().position(|m| m.id == message_id) else { return };
        let mut branch = original.branch(new_id(), now_ms(), index);
        let attachments = original.messages[index].attachments.clone();
        branch.messages.push(ChatMessage::user(new_id(), text, attachments));
        let answer_id = new_id();
        branch.messages.push(ChatMessage::pending_answer(answer_id.clone(), branch.model.clone()));
        let id = self.add_and_open(branch);
        self.start(api, id, answer_id, true);
    }

    /// Produces (again) the assistant message `message_id`: used for the first try, Retry and
    /// Regenerate. Later messages stay where they are.
    pub fn start(self, api: Api, conversation_id: String, message_id: String, stream: bool) {
        let Some(conversation) = self.conversations.with_untracked(|all| all.iter().find(|c| c.id == conversation_id).cloned()) else {
            return;
        };
        let Some(index) = conversation.messages.iter().position(|m| m.id == message_id) else { return };
        let request = build_request(&conversation, index);
        // Listed before the message that names it is saved: a tab that loads it meanwhile finds
        // it running (see `ChatState::load`).
        let call = LiveCall::begin();
        self.modify(&conversation_id, |conversation| {
            let model = conversation.model.clone();
            let message = &mut conversation.messages[index];
            message.begin_new_version(model);
            message.call = Some(call.id().to_owned());
        });
        self.failure.set(None);
        self.live.set(Some(LiveAnswer {
            conversation_id: conversation_id.clone(),
            message_id: message_id.clone(),
            answer: Answer::default(),
        }));
        self.phase.set(Phase::Waiting);
        let (handle, registration) = AbortHandle::new_pair();
        self.abort.set_value(Some(handle));
        let work = Abortable::new(self.run(api, request, stream, conversation_id.clone(), message_id.clone()), registration);
        spawn_local(async move {
            // Aborting drops the stream, which aborts the fetch: the server sees the call cancelled.
            if work.await.is_err() {
                self.finish(&conversation_id, &message_id, MessageStatus::Stopped);
                self.phase.set(Phase::Stopped);
            }
            // Off the list once its end is saved (also when this future is dropped with the page).
            drop(call);
        });
    }

    /// Produces an answer again (Regenerate, Retry) with `model`, the one picked now: it becomes
    /// the conversation's model, as for a message sent now.
    pub fn regenerate(self, api: Api, conversation_id: String, message_id: String, model: String) {
        if self.phase.get_untracked().busy() {
            return;
        }
        if !model.is_empty() {
            self.modify(&conversation_id, |conversation| conversation.model = model);
        }
        self.start(api, conversation_id, message_id, true);
    }

    /// Shows another version (from 1) of an answer; it is what later turns send as history.
    pub fn select_version(self, conversation_id: &str, message_id: &str, number: usize) {
        self.modify(conversation_id, |conversation| {
            if let Some(message) = conversation.messages.iter_mut().find(|m| m.id == message_id) {
                message.select_version(number);
            }
        });
    }

    /// Starts a new conversation holding this one up to and including `message_id`, and opens it;
    /// nothing is sent.
    pub fn branch_at(self, conversation_id: &str, message_id: &str) {
        let Some(original) = self.conversations.with_untracked(|all| all.iter().find(|c| c.id == conversation_id).cloned()) else {
            return;
        };
        let Some(index) = original.messages.iter().position(|m| m.id == message_id) else { return };
        self.add_and_open(original.branch(new_id(), now_ms(), index + 1));
    }

    /// Stops the answer under way; what arrived stays, marked stopped.
    pub fn stop(self) {
        if let Some(handle) = self.abort.get_value() {
            handle.abort();
        }
    }

    /// Writes the live answer into its message with a final status and saves it.
    fn finish(self, conversation_id: &str, message_id: &str, status: MessageStatus) {
        let answer = self.live.get_untracked().map(|live| live.answer).unwrap_or_default();
        self.modify(conversation_id, |conversation| {
            conversation.updated_ms = now_ms();
            if let Some(message) = conversation.messages.iter_mut().find(|m| m.id == message_id) {
                message.absorb(&answer);
                message.status = status;
                message.call = None;
            }
        });
        self.live.set(None);
    }

    /// Saves the partial answer (while streaming).
    fn checkpoint(self, conversation_id: &str, message_id: &str) {
        let Some(live) = self.live.get_untracked() else { return };
        self.modify(conversation_id, |conversation| {
            if let Some(message) = conversation.messages.iter_mut().find(|m| m.id == message_id) {
                message.absorb(&live.answer);
                message.status = MessageStatus::Streaming;
            }
        });
    }

    /// Adds one stream message to the live answer. The text grows at once (a checkpoint, Stop or
    /// the end saves everything that arrived), but the page re-renders at most once per frame:
    /// at 1,000 deltas per second, rendering each would leave no time for input. The end, a
    /// failure or Stop sets the live answer, which renders the final text at once. Every 100th
    /// message leaves a User Timing mark "xai-delta:<chunks>:<chars>", which the chat
    /// benchmark reads to time deltas by position.
    fn receive(self, chunk: ChatCompletionChunk) {
        if self.phase.with_untracked(|phase| *phase != Phase::Streaming) {
            self.phase.set(Phase::Streaming);
        }
        let mut progress = None;
        self.live.update_untracked(|live| {
            if let Some(live) = live {
                live.answer.apply(chunk);
                if live.answer.chunks % 100 == 0 {
                    let chars = live.answer.first().map_or(0, |c| c.content.len());
                    progress = Some((live.answer.chunks, chars));
                }
            }
        });
        self.show_at_next_frame();
        if let Some((chunks, chars)) = progress {
            if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
                let _ = performance.mark(&format!("xai-delta:{chunks}:{chars}"));
            }
        }
    }

    /// Notifies the live answer's readers at the next animation frame (once, however many
    /// deltas arrive before it), or a later one when the last render was costly (see
    /// `render_pace.rs`).
    fn show_at_next_frame(self) {
        if self.live_pace.try_update_value(|pace| pace.want()) != Some(true) {
            return;
        }
        self.show_at_frame();
    }

    fn show_at_frame(self) {
        request_animation_frame(move || {
            let now = performance_now();
            let length = self.live.with_untracked(|live| live.as_ref().and_then(|live| live.answer.first()).map_or(0, |c| c.content.len()));
            if !self.live_pace.try_update_value(|pace| pace.frame(now, length)).unwrap_or(false) {
                return self.show_at_frame();
            }
            self.live.notify();
            // A task queued now runs once the browser has shown this frame (style, layout, paint).
            set_timeout(move || self.live_pace.update_value(|pace| pace.rendered(now, performance_now())), Duration::ZERO);
        });
    }

    fn fail(self, conversation_id: &str, message_id: &str, error: AppError) {
        // A call the page's going aborts was cut short, not failed: the last checkpoint stays
        // (streaming), and the next page of this tab marks it interrupted.
        if live_calls::page_is_going() {
            return;
        }
        let status = MessageStatus::Failed {
            code: error.code as i32,
            message: format!("{}. {}", error.title(), error.advice()),
            detail: error.detail.clone(),
        };
        self.finish(conversation_id, message_id, status);
        self.failure.set(Some((message_id.to_owned(), error.clone())));
        self.phase.set(Phase::Failed(error));
    }

    async fn run(self, api: Api, request: ChatCompletionRequest, stream: bool, conversation_id: String, message_id: String) {
        if !stream {
            match api.chat(request).await {
                Ok(response) => {
                    self.live.update(|live| {
                        if let Some(live) = live {
                            live.answer = Answer::from_response(response);
                        }
                    });
                    self.finish(&conversation_id, &message_id, MessageStatus::Complete);
                    self.phase.set(Phase::Done);
                }
                Err(error) => self.fail(&conversation_id, &message_id, error),
            }
            return;
        }
        // Failures before the first message are retried (visible, stoppable): with backoff for
        // UNAVAILABLE and transport failures, after a countdown for RESOURCE_EXHAUSTED. After the
        // first message, never: what arrived stays and the error shows with a Retry. A status can
        // arrive when the stream opens or as its first item; both count as "before".
        let open = || {
            let (api, request) = (api.clone(), request.clone());
            async move {
                let mut chunks = api.chat_stream(request).await?;
                match chunks.next().await {
                    Some(Ok(first)) => Ok((chunks, Some(first))),
                    None => Ok((chunks, None)),
                    Some(Err(error)) => Err(error),
                }
            }
        };
        let show = move |wait: RetryWait| self.phase.set(wait.into());
        let (mut chunks, first) = match open_with_retries(open, show).await {
            Ok(opened) => opened,
            Err(error) => return self.fail(&conversation_id, &message_id, error),
        };
        // `first` is None when the stream ended without a message.
        if let Some(first) = first {
            self.receive(first);
            let mut last_save = now_ms();
            let mut slice_start = now_ms();
            while let Some(item) = chunks.next().await {
                match item {
                    Ok(chunk) => {
                        self.receive(chunk);
                        if now_ms() - last_save >= SAVE_EVERY_MS {
                            last_save = now_ms();
                            self.checkpoint(&conversation_id, &message_id);
                        }
                        // Buffered messages resolve without yielding; give the page a turn
                        // every few milliseconds so a burst never becomes a long task.
                        if now_ms() - slice_start >= YIELD_EVERY_MS {
                            gloo_timers::future::TimeoutFuture::new(0).await;
                            slice_start = now_ms();
                        }
                    }
                    Err(error) => return self.fail(&conversation_id, &message_id, error),
                }
            }
        }
        self.finish(&conversation_id, &message_id, MessageStatus::Complete);
        self.phase.set(Phase::Done);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::conversation::ChatParams;

    #[test]
    fn requests_carry_the_conversation_parameters() {
        let mut conversation = Conversation::new("c".into(), 0.0, "grok-3-mini".into());
        conversation.params = ChatParams {
            temperature: Some(0.2),
            top_p: Some(0.9),
            max_tokens: Some(64),
            stop: vec!["END".into()],
            seed: Some(7),
            reasoning_effort: "high".into(),
        };
        conversation.messages.push(ChatMessage::user("u".into(), "hi".into(), vec![]));
        conversation.messages.push(ChatMessage::pending_answer("a".into(), "grok-3-mini".into()));
        let request = build_request(&conversation, 1);
        assert_eq!(request.model, "grok-3-mini");
        assert_eq!(request.messages.len(), 1);
        assert_eq!(request.temperature, Some(0.2));
        assert_eq!(request.max_tokens, Some(64));
        assert_eq!(request.stop, ["END"]);
        assert_eq!(request.seed, Some(7));
        assert_eq!(request.reasoning_effort(), ReasoningEffort::High);
    }
}
