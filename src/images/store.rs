//! The generation history in the browser's IndexedDB (through rexie): its own database, so it
//! never needs an upgrade of the chat's. One record per generation, images included.
use std::rc::Rc;

use rexie::{ObjectStore, Rexie, TransactionMode};
use wasm_bindgen::JsValue;

use super::history::{self, Generation};
pub use crate::chat::store::StoreError;

const DATABASE: &str = "xai-web-images";
const GENERATIONS: &str = "generations";

/// The image history database. Cheap to clone.
#[derive(Clone)]
pub struct ImageStore {
    db: Rc<Rexie>,
}

impl ImageStore {
    /// Opens (and on first use creates) the database.
    pub async fn open() -> Result<Self, StoreError> {
        let db = Rexie::builder(DATABASE)
            .version(1)
            .add_object_store(ObjectStore::new(GENERATIONS).key_path("id"))
            .build()
            .await?;
        Ok(ImageStore { db: Rc::new(db) })
    }

    /// Every generation, newest first.
    pub async fn all(&self) -> Result<Vec<Generation>, StoreError> {
        let transaction = self.db.transaction(&[GENERATIONS], TransactionMode::ReadOnly)?;
        let values = transaction.store(GENERATIONS)?.get_all(None, None).await?;
        let generations = values
            .into_iter()
            .map(serde_wasm_bindgen::from_value::<Generation>)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(history::newest_first(generations))
    }

    /// Writes a generation (insert or replace).
    pub async fn put(&self, generation: &Generation) -> Result<(), StoreError> {
        let transaction = self.db.transaction(&[GENERATIONS], TransactionMode::ReadWrite)?;
        // Plain objects (not Maps), so the key path "id" resolves.
        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        let value = serde::Serialize::serialize(generation, &serializer)?;
        transaction.store(GENERATIONS)?.put(&value, None).await?;
        transaction.done().await?;
        Ok(())
    }

    /// Deletes a generation.
    pub async fn delete(&self, id: &str) -> Result<(), StoreError> {
        let transaction = self.db.transaction(&[GENERATIONS], TransactionMode::ReadWrite)?;
        transaction.store(GENERATIONS)?.delete(JsValue::from_str(id)).await?;
        transaction.done().await?;
        Ok(())
    }
}
