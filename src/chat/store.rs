//! Conversations in the browser's IndexedDB, one record per conversation.
use super::conversation::Conversation;
pub use crate::storage::StoreError;
use crate::storage::RecordStore;

/// The conversation database. Cheap to clone.
pub type ConversationStore = RecordStore<Conversation>;

impl ConversationStore {
    /// Opens (and on first use creates) the database.
    pub async fn open() -> Result<Self, StoreError> {
        RecordStore::open_in("xai-web", "conversations").await
    }
}
