//! Conversations in the browser's IndexedDB (database "xai-web"), laid out as records.rs says:
//! "chats" (one record per conversation, without messages), "messages" (one per message) and
//! "deleted" (tombstones). Version 1 kept whole conversations in "conversations"; opening
//! moves them over (kept until moved, so nothing is lost if the move fails). Thin glue: what to
//! write and how records merge is decided in records.rs.
use std::collections::HashSet;

use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use web_sys::IdbTransactionMode::{Readonly, Readwrite};

use super::{
    conversation::Conversation,
    records::{assemble, assign_orders, ConversationRecord, MessageRecord, StoredChange, Tombstone, WritePlan},
};
pub use crate::storage::StoreError;
use crate::storage::{
    from_js,
    idb::{Database, Store, StoreSpec},
    to_js,
};

const DATABASE: &str = "xai-web";
const VERSION: u32 = 2;
/// Version 1: whole conversations. Emptied by `open`.
const LEGACY: &str = "conversations";
const CHATS: &str = "chats";
const MESSAGES: &str = "messages";
const BY_CONVERSATION: &str = "by_conversation";
const DELETED: &str = "deleted";
const ALL: [&str; 3] = [CHATS, MESSAGES, DELETED];
const STORES: [StoreSpec; 4] = [
    StoreSpec { name: LEGACY, key_path: "id", indexes: &[] },
    StoreSpec { name: CHATS, key_path: "id", indexes: &[] },
    StoreSpec { name: MESSAGES, key_path: "key", indexes: &[(BY_CONVERSATION, "conversation_id")] },
    StoreSpec { name: DELETED, key_path: "id", indexes: &[] },
];

/// Everything stored, as far as it could be read.
pub struct Loaded {
    pub conversations: Vec<Conversation>,
    /// Records that could not be read (skipped; left in the database untouched).
    pub unreadable: usize,
}

/// One conversation as stored now.
pub enum Stored {
    Present(Box<StoredChange>),
    Deleted,
    /// Not stored (yet).
    Missing,
}

/// The conversation database. Cheap to clone.
#[derive(Clone)]
pub struct ConversationStore {
    db: Database,
}

/// Decodes each value; those that do not decode are counted, not fatal.
fn decode_each<T: DeserializeOwned>(values: Vec<JsValue>, unreadable: &mut usize) -> Vec<T> {
    values
        .into_iter()
        .filter_map(|value| {
            let decoded = from_js::<T>(&value).ok();
            *unreadable += usize::from(decoded.is_none());
            decoded
        })
        .collect()
}

async fn is_deleted(deleted: &Store, id: &str) -> Result<bool, StoreError> {
    deleted.key_exists(&JsValue::from_str(id)).await
}

impl ConversationStore {
    /// Opens (and on first use creates, or upgrades from version 1) the database.
    pub async fn open() -> Result<Self, StoreError> {
        let store = ConversationStore { db: Database::open(DATABASE, VERSION, &STORES).await? };
        store.move_legacy().await?;
        Ok(store)
    }

    /// Moves version 1's whole conversations into records, in one transaction. A record that
    /// does not decode stays where it is (and `load` counts it).
    async fn move_legacy(&self) -> Result<(), StoreError> {
        let transaction = self.db.transaction(&[LEGACY, CHATS, MESSAGES, DELETED], Readwrite)?;
        let legacy = transaction.store(LEGACY)?;
        let (chats, messages, deleted) = (transaction.store(CHATS)?, transaction.store(MESSAGES)?, transaction.store(DELETED)?);
        let mut unreadable = 0;
        let conversations: Vec<Conversation> = decode_each(legacy.get_all().await?, &mut unreadable);
        for mut conversation in conversations {
            let id = JsValue::from_str(&conversation.id);
            // Another tab may have moved it already, or deleted it since.
            if !is_deleted(&deleted, &conversation.id).await? && !chats.key_exists(&id).await? {
                assign_orders(&mut conversation, 1.0);
                let plan = WritePlan::whole(&conversation);
                for record in plan.meta.iter() {
                    chats.put(&to_js(record)?).await?;
                }
                for record in &plan.messages {
                    messages.put(&to_js(record)?).await?;
                }
            }
            legacy.delete(&id).await?;
        }
        transaction.done().await?;
        Ok(())
    }

    /// Every conversation not deleted, newest first.
    pub async fn load(&self) -> Result<Loaded, StoreError> {
        let transaction = self.db.transaction(&[LEGACY, CHATS, MESSAGES, DELETED], Readonly)?;
        let mut unreadable = transaction.store(LEGACY)?.count().await? as usize;
        let metas: Vec<ConversationRecord> = decode_each(transaction.store(CHATS)?.get_all().await?, &mut unreadable);
        let messages: Vec<MessageRecord> = decode_each(transaction.store(MESSAGES)?.get_all().await?, &mut unreadable);
        let deleted: Vec<Tombstone> = decode_each(transaction.store(DELETED)?.get_all().await?, &mut unreadable);
        transaction.done().await?;
        let deleted: HashSet<String> = deleted.into_iter().map(|t| t.id).collect();
        Ok(Loaded { conversations: assemble(metas, messages, &deleted), unreadable })
    }

    /// One conversation as stored now: its metadata and either the messages with these ids or
    /// (`whole`) every message. Records that do not decode are left out.
    pub async fn read(&self, id: &str, message_ids: &[String], whole: bool) -> Result<Stored, StoreError> {
        let transaction = self.db.transaction(&ALL, Readonly)?;
        if is_deleted(&transaction.store(DELETED)?, id).await? {
            return Ok(Stored::Deleted);
        }
        let key = JsValue::from_str(id);
        let Some(meta) = transaction.store(CHATS)?.get(&key).await? else {
            return Ok(Stored::Missing);
        };
        let messages = transaction.store(MESSAGES)?;
        let values = if whole {
            messages.index(BY_CONVERSATION)?.get_all(&key).await?
        } else {
            let mut values = Vec::new();
            for message_id in message_ids {
                values.extend(messages.get(&JsValue::from_str(&super::records::message_key(id, message_id))).await?);
            }
            values
        };
        transaction.done().await?;
        let mut unreadable = 0;
        let records: Vec<MessageRecord> = decode_each(values, &mut unreadable);
        Ok(Stored::Present(Box::new(StoredChange {
            meta: from_js(&meta).ok(),
            messages: records.into_iter().filter(|r| r.conversation_id == id).map(|r| r.message).collect(),
            whole,
        })))
    }

    /// Writes these changes in one transaction, except for conversations deleted meanwhile (by
    /// any tab) unless `revive` (Undo, an import): their ids are returned and nothing of them is
    /// written.
    pub async fn write(&self, plans: &[WritePlan], revive: bool) -> Result<Vec<String>, StoreError> {
        let transaction = self.db.transaction(&ALL, Readwrite)?;
        let (chats, messages, deleted) = (transaction.store(CHATS)?, transaction.store(MESSAGES)?, transaction.store(DELETED)?);
        let mut refused = Vec::new();
        for plan in plans {
            if revive {
                deleted.delete(&JsValue::from_str(&plan.conversation_id)).await?;
            } else if is_deleted(&deleted, &plan.conversation_id).await? {
                refused.push(plan.conversation_id.clone());
                continue;
            }
            if let Some(meta) = &plan.meta {
                chats.put(&to_js(meta)?).await?;
            }
            for record in &plan.messages {
                messages.put(&to_js(record)?).await?;
            }
            for key in &plan.removed {
                messages.delete(&JsValue::from_str(key)).await?;
            }
        }
        transaction.done().await?;
        Ok(refused)
    }

    /// Deletes a conversation and leaves its tombstone, so no tab can write it back.
    pub async fn delete(&self, id: &str, now_ms: f64) -> Result<(), StoreError> {
        let transaction = self.db.transaction(&ALL, Readwrite)?;
        let key = JsValue::from_str(id);
        transaction.store(DELETED)?.put(&to_js(&Tombstone { id: id.to_owned(), deleted_ms: now_ms })?).await?;
        transaction.store(CHATS)?.delete(&key).await?;
        let messages = transaction.store(MESSAGES)?;
        for message_key in messages.index(BY_CONVERSATION)?.get_all_keys(&key).await? {
            messages.delete(&message_key).await?;
        }
        transaction.done().await?;
        Ok(())
    }
}
