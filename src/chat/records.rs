//! How conversations are laid out in IndexedDB so that two tabs never overwrite each other's
//! turns: one record per conversation (its metadata), one record per message (keyed by
//! conversation and message id, ordered by the message's `order`), and a tombstone per deleted
//! conversation. Plain data and the logic on it: what a change writes, how records become
//! conversations again, and how another tab's records merge into this tab's copy. The IndexedDB
//! glue is in store.rs.
use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::conversation::{ChatMessage, ChatParams, Conversation};

/// A conversation without its messages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConversationRecord {
    pub id: String,
    pub title: String,
    pub created_ms: f64,
    pub updated_ms: f64,
    #[serde(default)]
    pub system_prompt: String,
    #[serde(default)]
    pub model: String,
    #[serde(default)]
    pub params: ChatParams,
}

impl ConversationRecord {
    /// The metadata of a conversation.
    pub fn of(conversation: &Conversation) -> Self {
        ConversationRecord {
            id: conversation.id.clone(),
            title: conversation.title.clone(),
            created_ms: conversation.created_ms,
            updated_ms: conversation.updated_ms,
            system_prompt: conversation.system_prompt.clone(),
            model: conversation.model.clone(),
            params: conversation.params.clone(),
        }
    }

    /// The conversation with these messages.
    pub fn with_messages(self, messages: Vec<ChatMessage>) -> Conversation {
        Conversation {
            id: self.id,
            title: self.title,
            created_ms: self.created_ms,
            updated_ms: self.updated_ms,
            system_prompt: self.system_prompt,
            model: self.model,
            params: self.params,
            messages,
        }
    }

    /// Copies this metadata onto a conversation, keeping its messages.
    fn apply_to(self, conversation: &mut Conversation) {
        let messages = std::mem::take(&mut conversation.messages);
        *conversation = self.with_messages(messages);
    }
}

/// One message of one conversation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MessageRecord {
    /// `message_key(conversation_id, message.id)`: unique, so two tabs' turns never collide.
    pub key: String,
    pub conversation_id: String,
    pub message: ChatMessage,
}

impl MessageRecord {
    pub fn of(conversation_id: &str, message: &ChatMessage) -> Self {
        MessageRecord {
            key: message_key(conversation_id, &message.id),
            conversation_id: conversation_id.to_owned(),
            message: message.clone(),
        }
    }
}

/// The key of a message record (a separator no id contains: ids are ours or from an export).
pub fn message_key(conversation_id: &str, message_id: &str) -> String {
    format!("{conversation_id}\u{1f}{message_id}")
}

/// A deleted conversation: writes for its id are refused and loads skip it, so a tab still
/// holding it cannot bring it back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tombstone {
    pub id: String,
    pub deleted_ms: f64,
}

/// What one change of one conversation writes.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct WritePlan {
    pub conversation_id: String,
    /// The metadata, when it changed.
    pub meta: Option<ConversationRecord>,
    /// The messages that are new or changed.
    pub messages: Vec<MessageRecord>,
    /// Keys of messages no longer in the conversation (an import replacing it).
    pub removed: Vec<String>,
}

impl WritePlan {
    /// Writes everything of a conversation.
    pub fn whole(conversation: &Conversation) -> Self {
        plan_writes(None, conversation)
    }

    pub fn is_empty(&self) -> bool {
        self.meta.is_none() && self.messages.is_empty() && self.removed.is_empty()
    }
}

/// What to write after a conversation went from `before` (None: not stored yet) to `after`:
/// the metadata if it changed, and only the messages that are new or changed. A streaming
/// checkpoint thus writes one message record, and a user message's images are written once.
pub fn plan_writes(before: Option<&Conversation>, after: &Conversation) -> WritePlan {
    let meta = ConversationRecord::of(after);
    let meta = match before {
        Some(before) if ConversationRecord::of(before) == meta => None,
        _ => Some(meta),
    };
    let old: HashMap<&str, &ChatMessage> = before.map(|b| b.messages.iter().map(|m| (m.id.as_str(), m)).collect()).unwrap_or_default();
    let messages = after
        .messages
        .iter()
        .filter(|message| old.get(message.id.as_str()).is_none_or(|old| *old != *message))
        .map(|message| MessageRecord::of(&after.id, message))
        .collect();
    let kept: HashSet<&str> = after.messages.iter().map(|m| m.id.as_str()).collect();
    let removed = before
        .map(|b| b.messages.iter().filter(|m| !kept.contains(m.id.as_str())).map(|m| message_key(&after.id, &m.id)).collect())
        .unwrap_or_default();
    WritePlan { conversation_id: after.id.clone(), meta, messages, removed }
}

/// Gap between messages placed together (a user message and its pending answer): far below a
/// millisecond, so a turn another tab sends a millisecond later never lands inside this one.
const IN_TURN_STEP: f64 = 1.0 / 1024.0;

/// Gives messages that have no place yet (order 0, or not after the previous one: new, imported
/// or from before this layout) one after the previous message and not before `now_ms`; messages
/// placed together stay within a millisecond, so two tabs appending at the same time keep each
/// turn together, the earlier first. Returns whether any changed.
pub fn assign_orders(conversation: &mut Conversation, now_ms: f64) -> bool {
    let mut previous: Option<f64> = None;
    let mut in_run = false;
    let mut changed = false;
    for message in &mut conversation.messages {
        if previous.is_some_and(|p| message.order <= p) || message.order <= 0.0 {
            message.order = match previous {
                Some(p) if in_run => p + IN_TURN_STEP,
                Some(p) => (p + 1.0).max(now_ms),
                None => now_ms,
            };
            in_run = true;
            changed = true;
        } else {
            in_run = false;
        }
        previous = Some(message.order);
    }
    changed
}

/// A message rebuilt in place (Retry, Regenerate: a fresh pending answer with the same id)
/// keeps its place.
pub fn keep_orders(before: &Conversation, after: &mut Conversation) {
    for message in after.messages.iter_mut().filter(|m| m.order <= 0.0) {
        if let Some(old) = before.messages.iter().find(|old| old.id == message.id) {
            message.order = old.order;
        }
    }
}

fn sort_messages(messages: &mut [ChatMessage]) {
    messages.sort_by(|a, b| a.order.total_cmp(&b.order).then_with(|| a.id.cmp(&b.id)));
}

/// The conversations these records make (deleted ones skipped), newest first.
pub fn assemble(metas: Vec<ConversationRecord>, messages: Vec<MessageRecord>, deleted: &HashSet<String>) -> Vec<Conversation> {
    let mut by_conversation: HashMap<String, Vec<ChatMessage>> = HashMap::new();
    for record in messages {
        by_conversation.entry(record.conversation_id).or_default().push(record.message);
    }
    let mut conversations: Vec<Conversation> = metas
        .into_iter()
        .filter(|meta| !deleted.contains(&meta.id))
        .map(|meta| {
            let mut messages = by_conversation.remove(&meta.id).unwrap_or_default();
            sort_messages(&mut messages);
            meta.with_messages(messages)
        })
        .collect();
    conversations.sort_by(|a, b| b.updated_ms.total_cmp(&a.updated_ms));
    conversations
}

/// What another tab stored for a conversation this tab holds.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredChange {
    /// The stored metadata (None: unchanged or unread).
    pub meta: Option<ConversationRecord>,
    /// The stored messages that were read.
    pub messages: Vec<ChatMessage>,
    /// `messages` is every stored message: local ones missing from it were removed.
    pub whole: bool,
}

/// This tab's copy of a conversation after another tab stored a change of it. The stored records
/// include every write this tab started before reading them, so they win, except for the message
/// this tab is still writing (`live`: a streaming answer), which stays as it is here. Local
/// messages the store does not have yet are kept unless the store was read whole.
pub fn merge(local: &Conversation, stored: StoredChange, live: Option<&str>) -> Conversation {
    let mut merged = local.clone();
    if let Some(meta) = stored.meta {
        meta.apply_to(&mut merged);
    }
    if stored.whole {
        let stored_ids: HashSet<&str> = stored.messages.iter().map(|m| m.id.as_str()).collect();
        merged.messages.retain(|m| stored_ids.contains(m.id.as_str()) || Some(m.id.as_str()) == live);
    }
    for message in stored.messages {
        match merged.messages.iter_mut().find(|m| m.id == message.id) {
            Some(_) if Some(message.id.as_str()) == live => {}
            Some(existing) => *existing = message,
            None => merged.messages.push(message),
        }
    }
    sort_messages(&mut merged.messages);
    merged
}

/// What the page says about records that could not be read (None when all could).
pub fn skipped_notice(unreadable: usize) -> Option<String> {
    match unreadable {
        0 => None,
        1 => Some("1 saved item could not be read and was skipped.".into()),
        n => Some(format!("{n} saved items could not be read and were skipped.")),
    }
}

#[cfg(test)]
#[path = "records_tests.rs"]
mod tests;
