//! Versions of an answer: Regenerate keeps the answer it replaces, and the reader flips between
//! them (‹ 2/3 ›). The message's own fields are the version shown (the one sent back to the model
//! as history); `versions` holds the others in order, and `version` is where the shown one sits
//! among all of them (each kept whole, as the message was). A message stored before versions
//! existed reads as its only version.
use super::conversation::{ChatMessage, MessageStatus};

impl ChatMessage {
    /// How many versions this answer has (1 without regenerations).
    pub fn version_count(&self) -> usize {
        self.versions.len() + 1
    }

    /// The shown version's number, from 1.
    pub fn version_number(&self) -> usize {
        self.version.min(self.versions.len()) + 1
    }

    /// The shown version alone (an entry of `versions`).
    fn shown_version(&self) -> ChatMessage {
        ChatMessage { versions: Vec::new(), version: 0, ..self.clone() }
    }

    /// Shows version `number` (from 1); false when there is no such version or it is shown.
    pub fn select_version(&mut self, number: usize) -> bool {
        if number == 0 || number > self.version_count() || number == self.version_number() {
            return false;
        }
        let at = self.version.min(self.versions.len());
        let shown = self.shown_version();
        self.versions.insert(at, shown);
        let chosen = self.versions.remove(number - 1);
        let (order, versions) = (self.order, std::mem::take(&mut self.versions));
        *self = ChatMessage { order, versions, version: number - 1, ..chosen };
        true
    }

    /// Makes this message a fresh answer about to stream from `model`, as the last version. A
    /// complete answer it replaces is kept as a version (Regenerate); a partial one (stopped,
    /// interrupted, failed) is replaced, as Retry finishes what it started.
    pub fn begin_new_version(&mut self, model: String) {
        let shown = self.shown_version();
        if shown.status == MessageStatus::Complete && !shown.content.is_empty() {
            let at = self.version.min(self.versions.len());
            self.versions.insert(at, shown);
        }
        let order = self.order;
        let versions = std::mem::take(&mut self.versions);
        *self = ChatMessage { order, version: versions.len(), versions, ..ChatMessage::pending_answer(self.id.clone(), model) };
    }

    /// What every version of this answer cost, in USD ticks (each was billed).
    pub fn cost_ticks(&self) -> i64 {
        self.usage.iter().chain(self.versions.iter().filter_map(|v| v.usage.as_ref())).map(|u| u.cost_usd_ticks).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::conversation::UsageRecord;

    fn answered(text: &str, model: &str, cost: i64) -> ChatMessage {
        let mut message = ChatMessage::pending_answer("a".into(), model.into());
        message.content = text.into();
        message.status = MessageStatus::Complete;
        message.usage = Some(UsageRecord { cost_usd_ticks: cost, ..Default::default() });
        message.order = 5.0;
        message
    }

    fn regenerate(message: &mut ChatMessage, text: &str, model: &str, cost: i64) {
        message.begin_new_version(model.into());
        assert_eq!(message.status, MessageStatus::Streaming);
        message.content = text.into();
        message.status = MessageStatus::Complete;
        message.usage = Some(UsageRecord { cost_usd_ticks: cost, ..Default::default() });
    }

    #[test]
    fn regenerating_keeps_the_old_answer_and_shows_the_new_one_last() {
        let mut message = answered("first", "grok-4", 10);
        assert_eq!((message.version_number(), message.version_count()), (1, 1));
        regenerate(&mut message, "second", "grok-3", 20);
        assert_eq!((message.version_number(), message.version_count()), (2, 2));
        assert_eq!((message.content.as_str(), message.model.as_str()), ("second", "grok-3"));
        assert_eq!(message.order, 5.0, "it keeps its place in the conversation");
        assert_eq!(message.cost_ticks(), 30, "both versions were billed");

        assert!(message.select_version(1));
        assert_eq!((message.content.as_str(), message.model.as_str(), message.version_number()), ("first", "grok-4", 1));
        assert!(!message.select_version(1), "already shown");
        assert!(!message.select_version(3) && !message.select_version(0), "no such version");

        // Regenerating while an older version is shown adds a third, last.
        regenerate(&mut message, "third", "grok-4", 5);
        assert_eq!((message.version_number(), message.version_count()), (3, 3));
        let texts: Vec<String> = (1..=3)
            .map(|n| {
                let mut copy = message.clone();
                copy.select_version(n);
                copy.content
            })
            .collect();
        assert_eq!(texts, ["first", "second", "third"]);
    }

    #[test]
    fn retrying_a_partial_answer_replaces_it() {
        for status in [
            MessageStatus::Stopped,
            MessageStatus::Interrupted,
            MessageStatus::Failed { code: 16, message: "no".into(), detail: String::new() },
        ] {
            let mut message = answered("half an ans", "grok-4", 3);
            message.status = status;
            message.begin_new_version("grok-4".into());
            assert_eq!(message.version_count(), 1);
            assert!(message.content.is_empty());
        }
    }

    #[test]
    fn a_message_stored_before_versions_reads_as_its_only_version() {
        let old = r#"{"id":"a","role":"assistant","content":"hi","status":{"state":"complete"},"model":"grok-4","order":1.0}"#;
        let message: ChatMessage = serde_json::from_str(old).unwrap();
        assert_eq!((message.version_number(), message.version_count()), (1, 1));
        let mut regenerated = message.clone();
        regenerated.begin_new_version("grok-3".into());
        let text = serde_json::to_string(&regenerated).unwrap();
        assert_eq!(serde_json::from_str::<ChatMessage>(&text).unwrap(), regenerated, "versions survive storing");
    }
}
