//! Conversations in the browser's IndexedDB (through rexie), one record per conversation.
use std::rc::Rc;

use rexie::{ObjectStore, Rexie, TransactionMode};
use wasm_bindgen::JsValue;

use super::conversation::Conversation;

const DATABASE: &str = "xai-web";
const CONVERSATIONS: &str = "conversations";

/// Why storage failed (quota, private mode, a blocked upgrade …).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("saving on this device failed: {0}")]
pub struct StoreError(String);

impl From<rexie::Error> for StoreError {
    fn from(error: rexie::Error) -> Self {
        StoreError(error.to_string())
    }
}

impl From<serde_wasm_bindgen::Error> for StoreError {
    fn from(error: serde_wasm_bindgen::Error) -> Self {
        StoreError(error.to_string())
    }
}

/// The conversation database. Cheap to clone.
#[derive(Clone)]
pub struct ConversationStore {
    db: Rc<Rexie>,
}

impl ConversationStore {
    /// Opens (and on first use creates) the database.
    pub async fn open() -> Result<Self, StoreError> {
        let db = Rexie::builder(DATABASE)
            .version(1)
            .add_object_store(ObjectStore::new(CONVERSATIONS).key_path("id"))
            .build()
            .await?;
        Ok(ConversationStore { db: Rc::new(db) })
    }

    /// Every conversation, most recently updated first.
    pub async fn all(&self) -> Result<Vec<Conversation>, StoreError> {
        let transaction = self.db.transaction(&[CONVERSATIONS], TransactionMode::ReadOnly)?;
        let values = transaction.store(CONVERSATIONS)?.get_all(None, None).await?;
        let mut conversations = values
            .into_iter()
            .map(serde_wasm_bindgen::from_value::<Conversation>)
            .collect::<Result<Vec<_>, _>>()?;
        conversations.sort_by(|a, b| b.updated_ms.total_cmp(&a.updated_ms));
        Ok(conversations)
    }

    /// Writes conversations (insert or replace), in one transaction.
    pub async fn put_all(&self, conversations: &[Conversation]) -> Result<(), StoreError> {
        let transaction = self.db.transaction(&[CONVERSATIONS], TransactionMode::ReadWrite)?;
        let store = transaction.store(CONVERSATIONS)?;
        // Plain objects (not Maps), so the key path "id" resolves.
        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        for conversation in conversations {
            let value = serde::Serialize::serialize(conversation, &serializer)?;
            store.put(&value, None).await?;
        }
        transaction.done().await?;
        Ok(())
    }

    /// Deletes a conversation.
    pub async fn delete(&self, id: &str) -> Result<(), StoreError> {
        let transaction = self.db.transaction(&[CONVERSATIONS], TransactionMode::ReadWrite)?;
        transaction.store(CONVERSATIONS)?.delete(JsValue::from_str(id)).await?;
        transaction.done().await?;
        Ok(())
    }
}
