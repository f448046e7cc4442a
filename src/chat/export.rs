//! Export and import of conversations: JSON (lossless, re-importable) and Markdown (to read).
use serde::{Deserialize, Serialize};

use super::conversation::{Conversation, Role};
use crate::format;

/// Marks a file as ours, so importing something else fails with a clear message.
const FORMAT: &str = "xai-web-conversations";
const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Envelope {
    format: String,
    version: u32,
    conversations: Vec<Conversation>,
}

/// Why an import failed, in the user's words (the parser's own message says nothing to them).
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// Not JSON at all.
    #[error("This file is not a chat export (it is not JSON). Pick a file saved with “All chats (JSON)” or “This chat (JSON)”.")]
    NotJson,
    /// JSON, but not ours (or damaged): `0` says what was found.
    #[error("This file is not a chat export ({0}). Pick a file saved with “All chats (JSON)” or “This chat (JSON)”.")]
    NotAnExport(String),
    /// A newer app wrote it.
    #[error("This export was saved by a newer version of the app (format {0}; this one reads {VERSION}): update the app to import it.")]
    Version(u32),
}

/// The conversations as an export file.
pub fn to_json(conversations: &[Conversation]) -> String {
    let envelope = Envelope { format: FORMAT.into(), version: VERSION, conversations: conversations.to_vec() };
    serde_json::to_string_pretty(&envelope).unwrap_or_default()
}

/// The conversations of an export file.
pub fn from_json(text: &str) -> Result<Vec<Conversation>, ImportError> {
    let envelope: Envelope = serde_json::from_str(text).map_err(|error| match error.classify() {
        serde_json::error::Category::Data => ImportError::NotAnExport("it is JSON, but not conversations saved by this app".into()),
        serde_json::error::Category::Eof => ImportError::NotAnExport("it ends too early: the file is incomplete".into()),
        _ => ImportError::NotJson,
    })?;
    if envelope.format != FORMAT {
        return Err(ImportError::NotAnExport("it is JSON from something else".into()));
    }
    if envelope.version > VERSION {
        return Err(ImportError::Version(envelope.version));
    }
    Ok(envelope.conversations)
}

/// A conversation as Markdown, to read or share.
pub fn to_markdown(conversation: &Conversation) -> String {
    let mut out = format!("# {}\n\n", conversation.title);
    if !conversation.system_prompt.trim().is_empty() {
        out.push_str(&format!("> System: {}\n\n", conversation.system_prompt.trim().replace('\n', "\n> ")));
    }
    for message in &conversation.messages {
        match message.role {
            Role::User => out.push_str("## User\n\n"),
            Role::Assistant if message.model.is_empty() => out.push_str("## Assistant\n\n"),
            Role::Assistant => out.push_str(&format!("## Assistant ({})\n\n", message.model)),
        }
        for attachment in &message.attachments {
            out.push_str(&format!("*[image: {}]*\n\n", attachment.name));
        }
        out.push_str(message.content.trim_end());
        out.push_str("\n\n");
        if let Some(usage) = message.usage {
            out.push_str(&format!(
                "*{} prompt + {} completion tokens, {}*\n\n",
                usage.prompt_tokens,
                usage.completion_tokens,
                format::cost(usage.cost_usd_ticks)
            ));
        }
    }
    out.push_str(&format!("*Total cost: {}*\n", format::cost(conversation.total_cost_ticks())));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::conversation::{Attachment, ChatMessage, MessageStatus, UsageRecord};

    fn sample() -> Conversation {
        let mut c = Conversation::new("c1".into(), 1_700_000_000_000.0, "grok-4".into());
        c.title = "Ünïcode & \"quotes\"".into();
        c.system_prompt = "Be brief\nand kind".into();
        c.params.temperature = Some(0.7);
        c.params.stop = vec!["END".into()];
        c.messages.push(ChatMessage::user(
            "m1".into(),
            "Look: <b>bold</b>".into(),
            vec![Attachment { mime: "image/png".into(), data_url: "data:image/png;base64,AAAA".into(), name: "cat.png".into() }],
        ));
        let mut answer = ChatMessage::pending_answer("m2".into(), "grok-4".into());
        answer.content = "```rust\nfn main() {}\n```".into();
        answer.reasoning = "thinking".into();
        answer.status = MessageStatus::Failed { code: 14, message: "down".into(), detail: String::new() };
        answer.usage = Some(UsageRecord { prompt_tokens: 3, completion_tokens: 4, cost_usd_ticks: 123, ..Default::default() });
        c.messages.push(answer);
        c
    }

    #[test]
    fn json_round_trips_exactly() {
        // With an answer regenerated once: both versions travel, the shown one stays shown.
        let mut regenerated = sample();
        regenerated.messages[1].status = MessageStatus::Complete;
        regenerated.messages[1].begin_new_version("grok-3".into());
        regenerated.messages[1].content = "second".into();
        regenerated.messages[1].status = MessageStatus::Complete;
        regenerated.id = "c3".into();
        let conversations = vec![sample(), Conversation::new("c2".into(), 2.0, String::new()), regenerated];
        let text = to_json(&conversations);
        let imported = from_json(&text).unwrap();
        assert_eq!(imported, conversations);
        assert_eq!((imported[2].messages[1].version_number(), imported[2].messages[1].version_count()), (2, 2));
    }

    #[test]
    fn foreign_files_are_refused_with_a_reason() {
        let not_json = from_json("not json").unwrap_err();
        assert_eq!(not_json, ImportError::NotJson);
        assert!(not_json.to_string().starts_with("This file is not a chat export (it is not JSON)."), "{not_json}");
        assert!(!not_json.to_string().contains("line 1"), "no parser internals");
        let other = from_json(r#"{"name":"something","items":[1,2]}"#).unwrap_err();
        assert!(other.to_string().starts_with("This file is not a chat export (it is JSON, but"), "{other}");
        assert!(matches!(from_json(r#"{"format":"other","version":1,"conversations":[]}"#), Err(ImportError::NotAnExport(_))));
        assert_eq!(from_json(r#"{"format":"xai-web-conversations","version":9,"conversations":[]}"#), Err(ImportError::Version(9)));
    }

    #[test]
    fn markdown_reads_like_the_conversation() {
        let text = to_markdown(&sample());
        assert!(text.starts_with("# Ünïcode & \"quotes\"\n"));
        assert!(text.contains("> System: Be brief\n> and kind"));
        assert!(text.contains("## User\n\n*[image: cat.png]*\n\nLook: <b>bold</b>"));
        assert!(text.contains("## Assistant (grok-4)\n\n```rust"));
        assert!(text.contains("*Total cost: $0.0000000123*"));
    }
}
