//! The generation history in the browser's IndexedDB: its own database, so it never needs an
//! upgrade of the chat's. One record per generation, images included.
use super::history::Generation;
pub use crate::storage::StoreError;
use crate::storage::{idb::StoreSpec, RecordStore};

/// The image history database. Cheap to clone.
pub type ImageStore = RecordStore<Generation>;

impl ImageStore {
    /// Opens (and on first use creates) the database.
    pub async fn open() -> Result<Self, StoreError> {
        RecordStore::open_in("xai-web-images", &[StoreSpec { name: "generations", key_path: "id", indexes: &[] }]).await
    }
}
