//! Unsent text, kept per conversation across navigation and reloads: what was typed in a chat
//! comes back when the chat is opened again, and goes when it is sent. All drafts live in one
//! localStorage entry (small text; IndexedDB would be asynchronous for no gain), the newest
//! [`MAX_DRAFTS`] kept.
use serde::{Deserialize, Serialize};

use crate::storage::local;

/// The localStorage entry.
const KEY: &str = "xai-web.drafts";
/// Most drafts kept: the oldest go first.
const MAX_DRAFTS: usize = 50;

/// One conversation's draft.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Draft {
    /// The conversation's id; "" for the composer before any conversation exists.
    conversation: String,
    text: String,
}

/// Every draft, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Drafts {
    drafts: Vec<Draft>,
}

impl Drafts {
    /// The draft of a conversation ("" when there is none).
    pub fn get(&self, conversation: &str) -> &str {
        self.drafts.iter().find(|d| d.conversation == conversation).map_or("", |d| d.text.as_str())
    }

    /// Keeps `text` as the conversation's draft (text of only spaces is no draft), as the newest.
    pub fn set(&mut self, conversation: &str, text: &str) {
        self.drafts.retain(|d| d.conversation != conversation);
        if !text.trim().is_empty() {
            self.drafts.push(Draft { conversation: conversation.to_owned(), text: text.to_owned() });
        }
        let excess = self.drafts.len().saturating_sub(MAX_DRAFTS);
        self.drafts.drain(..excess);
    }

    /// The drafts stored on this device (none when the entry is missing or unreadable).
    pub fn stored() -> Self {
        local::get(KEY).unwrap_or_default()
    }

    /// Stores these drafts; a full or blocked storage only loses the drafts.
    pub fn store(&self) {
        local::set(KEY, self);
    }
}

/// The stored draft of a conversation.
pub fn load_draft(conversation: &str) -> String {
    Drafts::stored().get(conversation).to_owned()
}

/// Stores a conversation's draft ("" removes it).
pub fn save_draft(conversation: &str, text: &str) {
    let mut drafts = Drafts::stored();
    drafts.set(conversation, text);
    drafts.store();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_conversation_keeps_its_own_draft_until_it_is_sent() {
        let mut drafts = Drafts::default();
        drafts.set("a", "half a question");
        drafts.set("b", "another\nwith lines");
        drafts.set("", "before any chat");
        assert_eq!((drafts.get("a"), drafts.get("b"), drafts.get("")), ("half a question", "another\nwith lines", "before any chat"));
        assert_eq!(drafts.get("c"), "");
        drafts.set("a", "");
        assert_eq!(drafts.get("a"), "", "sending clears it");
        drafts.set("b", "   \n");
        assert_eq!(drafts.get("b"), "", "blank text is no draft");
        assert_eq!(drafts.drafts.len(), 1);
    }

    #[test]
    fn the_oldest_drafts_go_first_and_a_stored_copy_reads_back() {
        let mut drafts = Drafts::default();
        for n in 0..MAX_DRAFTS + 5 {
            drafts.set(&format!("c{n}"), "text");
        }
        // Touching c5 makes it the newest.
        drafts.set("c5", "edited");
        drafts.set("new", "x");
        assert_eq!(drafts.drafts.len(), MAX_DRAFTS);
        assert_eq!(drafts.get("c0"), "");
        assert_eq!(drafts.get("c6"), "", "the oldest untouched went");
        assert_eq!(drafts.get("c5"), "edited");
        let text = serde_json::to_string(&drafts).unwrap();
        assert_eq!(serde_json::from_str::<Drafts>(&text).unwrap(), drafts);
    }
}
