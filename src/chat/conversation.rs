//! Conversations as the app keeps them (in IndexedDB, and in exports): plain data and the logic
//! on it, covered by `cargo test`.
use serde::{Deserialize, Serialize};

use super::Answer;
use crate::proto::{self, FinishReason};

/// Who wrote a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The person.
    User,
    /// The model.
    Assistant,
}

/// Where an assistant message stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum MessageStatus {
    /// Finished normally (or a user message).
    #[default]
    Complete,
    /// Still arriving.
    Streaming,
    /// The user stopped it; the text is partial.
    Stopped,
    /// The page closed or reloaded while it streamed; the text is partial.
    Interrupted,
    /// The call failed; the text (if any) is partial.
    Failed {
        /// gRPC status code.
        code: i32,
        /// What the user was told: what happened and what to do.
        message: String,
        /// The service's or transport's own words (shown under "Details"; empty in messages
        /// stored before it was kept, whose `message` holds everything).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        detail: String,
    },
}

/// An image attached to a user message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// MIME type, e.g. image/png.
    pub mime: String,
    /// The image as a data URL.
    pub data_url: String,
    /// File name as picked, for display.
    pub name: String,
}

/// Token counts and cost of one answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct UsageRecord {
    pub prompt_tokens: i32,
    pub completion_tokens: i32,
    pub reasoning_tokens: i32,
    pub cached_prompt_tokens: i32,
    /// Prompt tokens that came from attached images.
    #[serde(default)]
    pub prompt_image_tokens: i32,
    pub cost_usd_ticks: i64,
}

impl From<proto::Usage> for UsageRecord {
    fn from(usage: proto::Usage) -> Self {
        UsageRecord {
            prompt_tokens: usage.prompt_tokens,
            completion_tokens: usage.completion_tokens,
            reasoning_tokens: usage.reasoning_tokens,
            cached_prompt_tokens: usage.cached_prompt_tokens,
            prompt_image_tokens: usage.prompt_image_tokens,
            cost_usd_ticks: usage.cost_usd_ticks,
        }
    }
}

/// One message of a conversation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChatMessage {
    /// Unique within the conversation.
    pub id: String,
    pub role: Role,
    /// Text (markdown for the assistant).
    pub content: String,
    /// Reasoning content of reasoning models.
    #[serde(default)]
    pub reasoning: String,
    /// Images sent with a user message.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    #[serde(default)]
    pub status: MessageStatus,
    /// Why the answer ended ("stop", "length", …).
    #[serde(default)]
    pub finish_reason: Option<String>,
    #[serde(default)]
    pub usage: Option<UsageRecord>,
    /// Model that answered.
    #[serde(default)]
    pub model: String,
    /// Where the message stands in its conversation (0: not placed yet; see
    /// `records::assign_orders`). Stored with each message record, so turns that two tabs add
    /// separately load in the order they were sent.
    #[serde(default)]
    pub order: f64,
    /// An answer's other versions (Regenerate keeps the one it replaces); see versions.rs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<ChatMessage>,
    /// Where the shown version sits among all versions (0-based).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub version: usize,
    /// While it streams: the call's id in [`crate::work::live_calls`], which tells the tabs that
    /// load it whether it streams on in another tab or was cut short by a reload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<String>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl ChatMessage {
    /// A user message.
    pub fn user(id: String, content: String, attachments: Vec<Attachment>) -> Self {
        ChatMessage {
            id,
            role: Role::User,
            content,
            reasoning: String::new(),
            attachments,
            status: MessageStatus::Complete,
            finish_reason: None,
            usage: None,
            model: String::new(),
            order: 0.0,
            versions: Vec::new(),
            version: 0,
            call: None,
        }
    }

    /// An empty assistant message about to stream.
    pub fn pending_answer(id: String, model: String) -> Self {
        ChatMessage { role: Role::Assistant, status: MessageStatus::Streaming, model, ..ChatMessage::user(id, String::new(), vec![]) }
    }

    /// Copies an answer's first choice into this message.
    pub fn absorb(&mut self, answer: &Answer) {
        if let Some(choice) = answer.first() {
            self.content.clone_from(&choice.content);
            self.reasoning.clone_from(&choice.reasoning);
            self.finish_reason = choice.finish_reason.map(|r| super::accumulator::finish_reason_label(r).to_owned());
            if choice.finish_reason.is_some_and(|r| r != FinishReason::Unspecified) {
                self.status = MessageStatus::Complete;
            }
        }
        if !answer.model.is_empty() {
            self.model.clone_from(&answer.model);
        }
        self.usage = answer.usage.map(UsageRecord::from);
    }
}

/// Sampling parameters a conversation sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
pub struct ChatParams {
    pub temperature: Option<f32>,
    pub top_p: Option<f32>,
    pub max_tokens: Option<i32>,
    #[serde(default)]
    pub stop: Vec<String>,
    pub seed: Option<i32>,
    /// "", "low", "medium", "high" or "none".
    #[serde(default)]
    pub reasoning_effort: String,
}

/// A conversation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    pub id: String,
    pub title: String,
    /// Milliseconds since the Unix epoch.
    pub created_ms: f64,
    pub updated_ms: f64,
    #[serde(default)]
    pub system_prompt: String,
    #[serde(default)]
    pub model: String,
    #[serde(default)]
    pub params: ChatParams,
    #[serde(default)]
    pub messages: Vec<ChatMessage>,
}

/// Longest automatic title.
const TITLE_CHARS: usize = 60;

impl Conversation {
    /// An empty conversation.
    pub fn new(id: String, now_ms: f64, model: String) -> Self {
        Conversation {
            id,
            title: "New chat".into(),
            created_ms: now_ms,
            updated_ms: now_ms,
            system_prompt: String::new(),
            model,
            params: ChatParams::default(),
            messages: Vec::new(),
        }
    }

    /// A title from the first user message: its first line, shortened at a word boundary.
    pub fn title_from(text: &str) -> String {
        let line = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("New chat");
        if line.chars().count() <= TITLE_CHARS {
            return line.to_owned();
        }
        let cut: String = line.chars().take(TITLE_CHARS).collect();
        let cut = cut.rsplit_once(' ').map(|(head, _)| head).filter(|h| h.len() > 20).unwrap_or(&cut);
        format!("{cut}…")
    }

    /// A new conversation (a branch) with this one's settings and its first `keep` messages.
    pub fn branch(&self, id: String, now_ms: f64, keep: usize) -> Conversation {
        let mut branch = self.clone();
        branch.id = id;
        branch.title = format!("{} (branch)", self.title);
        branch.created_ms = now_ms;
        branch.updated_ms = now_ms;
        branch.messages.truncate(keep);
        branch
    }

    /// Whether the search text occurs in the title or any message (case-insensitive).
    pub fn matches(&self, search: &str) -> bool {
        let needle = search.trim().to_lowercase();
        needle.is_empty()
            || self.title.to_lowercase().contains(&needle)
            || self.messages.iter().any(|m| m.content.to_lowercase().contains(&needle))
    }

    /// Total cost of every answer (every version of it), in USD ticks.
    pub fn total_cost_ticks(&self) -> i64 {
        self.messages.iter().map(ChatMessage::cost_ticks).sum()
    }

    /// Messages saved as streaming whose call `cut_short` says ended with its page become
    /// interrupted (called on load, with the call's id: None when saved without one).
    pub fn mark_interrupted(&mut self, cut_short: impl Fn(Option<&str>) -> bool) -> bool {
        let mut changed = false;
        for message in &mut self.messages {
            if message.status == MessageStatus::Streaming && cut_short(message.call.as_deref()) {
                message.status = MessageStatus::Interrupted;
                message.call = None;
                changed = true;
            }
        }
        changed
    }

    /// The request messages: the system prompt, then every message up to (not including) the
    /// assistant message being produced. Failed or empty answers are not sent back.
    pub fn request_messages(&self, before_index: usize) -> Vec<proto::Message> {
        let system = (!self.system_prompt.trim().is_empty()).then(|| proto::Message {
            role: "system".into(),
            content: self.system_prompt.clone(),
            ..Default::default()
        });
        let history = self.messages[..before_index.min(self.messages.len())]
            .iter()
            .filter(|m| !(m.role == Role::Assistant && m.content.is_empty()))
            .map(|m| proto::Message {
                role: match m.role {
                    Role::User => "user".into(),
                    Role::Assistant => "assistant".into(),
                },
                content: m.content.clone(),
                parts: m
                    .attachments
                    .iter()
                    .map(|a| proto::ContentPart {
                        part: Some(proto::content_part::Part::ImageUrl(proto::ImageUrl { url: a.data_url.clone(), detail: 0 })),
                    })
                    .collect(),
                ..Default::default()
            });
        system.into_iter().chain(history).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conversation() -> Conversation {
        let mut c = Conversation::new("c1".into(), 1.0, "grok-4".into());
        c.messages.push(ChatMessage::user("m1".into(), "Hello there".into(), vec![]));
        let mut answer = ChatMessage::pending_answer("m2".into(), "grok-4".into());
        answer.content = "Hi!".into();
        answer.usage = Some(UsageRecord { cost_usd_ticks: 150, ..Default::default() });
        answer.status = MessageStatus::Complete;
        c.messages.push(answer);
        c
    }

    #[test]
    fn titles_come_from_the_first_line_shortened_at_a_word() {
        assert_eq!(Conversation::title_from("\n  How do I sort?\nmore"), "How do I sort?");
        let long = "word ".repeat(30);
        let title = Conversation::title_from(&long);
        assert!(title.ends_with('…') && title.chars().count() <= TITLE_CHARS + 1, "{title}");
        assert_eq!(Conversation::title_from(""), "New chat");
    }

    #[test]
    fn search_looks_at_titles_and_contents() {
        let c = conversation();
        assert!(c.matches("HELLO") && c.matches("hi!") && c.matches(""));
        assert!(!c.matches("absent"));
    }

    #[test]
    fn running_total_adds_every_answer() {
        let mut c = conversation();
        let mut second = c.messages[1].clone();
        second.usage = Some(UsageRecord { cost_usd_ticks: 50, ..Default::default() });
        c.messages.push(second);
        assert_eq!(c.total_cost_ticks(), 200);
    }

    #[test]
    fn a_failed_answer_stored_before_details_were_kept_still_reads() {
        let old = r#"{"id":"a","role":"assistant","content":"","status":{"state":"failed","code":16,"message":"Authentication failed: bad key [UNAUTHENTICATED (16)]"}}"#;
        let message: ChatMessage = serde_json::from_str(old).unwrap();
        assert!(matches!(message.status, MessageStatus::Failed { code: 16, ref detail, .. } if detail.is_empty()));
        assert_eq!((message.version_number(), message.version_count()), (1, 1));
    }

    #[test]
    fn streaming_messages_become_interrupted_on_load_unless_their_call_runs_on() {
        let mut c = conversation();
        c.messages[1].status = MessageStatus::Streaming;
        c.messages[1].call = Some("tab-a/1".into());
        assert!(!c.mark_interrupted(|call| call != Some("tab-a/1")), "another tab streams it");
        assert_eq!(c.messages[1].status, MessageStatus::Streaming);
        assert!(c.mark_interrupted(|call| call == Some("tab-a/1")));
        assert_eq!((&c.messages[1].status, &c.messages[1].call), (&MessageStatus::Interrupted, &None));
        assert!(!c.mark_interrupted(|_| true));
        // Saved by a version that kept no call id: the id reads as None, and is not written.
        let old = r#"{"id":"a","role":"assistant","content":"so far","status":{"state":"streaming"}}"#;
        let message: ChatMessage = serde_json::from_str(old).unwrap();
        assert_eq!(message.call, None);
        assert!(!serde_json::to_string(&message).unwrap().contains("call"));
    }

    #[test]
    fn requests_carry_the_system_prompt_history_and_images() {
        let mut c = conversation();
        c.system_prompt = "Be brief".into();
        c.messages.push(ChatMessage::user(
            "m3".into(),
            "What is this?".into(),
            vec![Attachment { mime: "image/png".into(), data_url: "data:image/png;base64,AAAA".into(), name: "a.png".into() }],
        ));
        c.messages.push(ChatMessage::pending_answer("m4".into(), "grok-4".into()));
        let messages = c.request_messages(3);
        let roles: Vec<_> = messages.iter().map(|m| m.role.as_str()).collect();
        assert_eq!(roles, ["system", "user", "assistant", "user"]);
        assert_eq!(messages[3].parts.len(), 1);
    }
}
