//! Records in the browser's IndexedDB (through the small layer in `idb`). Each feature keeps its own database with
//! one object store of serde records keyed by their `id` field, so one never needs an upgrade of
//! another's. Records go in and out as plain JS objects through JSON (serde_json and the
//! browser's `JSON`): the wasm then carries one serialisation stack, the one the chat's
//! export needs anyway, instead of a second (serde-wasm-bindgen) with its own copy of every
//! record's (de)serialiser. The objects are the same as before, so stored data reads as it did.
pub mod idb;
pub mod local;

use std::marker::PhantomData;

use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::JsValue;
use web_sys::IdbTransactionMode;

use self::idb::{Database, StoreSpec};

/// Why storage failed (quota, private mode, a blocked upgrade …).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("saving on this device failed: {0}")]
pub struct StoreError(String);

impl StoreError {
    pub fn new(reason: String) -> Self {
        StoreError(reason)
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(error: serde_json::Error) -> Self {
        StoreError(error.to_string())
    }
}

/// A record as the plain JS object IndexedDB stores (not a Map, so key paths resolve).
pub fn to_js<T: Serialize>(record: &T) -> Result<JsValue, StoreError> {
    js_sys::JSON::parse(&serde_json::to_string(record)?).map_err(|_| StoreError("a record did not convert".into()))
}

/// A stored object as a record.
pub fn from_js<T: DeserializeOwned>(value: &JsValue) -> Result<T, StoreError> {
    let text = js_sys::JSON::stringify(value).map_err(|_| StoreError("a stored record did not convert".into()))?;
    Ok(serde_json::from_str(&String::from(text))?)
}

/// One database's records of type `T`. Cheap to clone.
pub struct RecordStore<T> {
    db: Database,
    store: &'static str,
    records: PhantomData<T>,
}

impl<T> Clone for RecordStore<T> {
    fn clone(&self) -> Self {
        RecordStore { db: self.db.clone(), store: self.store, records: PhantomData }
    }
}

impl<T: Serialize + DeserializeOwned> RecordStore<T> {
    /// Opens (and on first use creates) `database` with its object store `stores[0]`.
    pub async fn open_in(database: &str, stores: &'static [StoreSpec; 1]) -> Result<Self, StoreError> {
        let db = Database::open(database, 1, stores).await?;
        Ok(RecordStore { db, store: stores[0].name, records: PhantomData })
    }

    /// Every record, in key order.
    pub async fn all(&self) -> Result<Vec<T>, StoreError> {
        let transaction = self.db.transaction(&[self.store], IdbTransactionMode::Readonly)?;
        let values = transaction.store(self.store)?.get_all().await?;
        values.iter().map(from_js).collect()
    }

    /// The record with this id, if any.
    pub async fn get(&self, id: &str) -> Result<Option<T>, StoreError> {
        let transaction = self.db.transaction(&[self.store], IdbTransactionMode::Readonly)?;
        let value = transaction.store(self.store)?.get(&JsValue::from_str(id)).await?;
        value.as_ref().map(from_js).transpose()
    }

    /// Writes records (insert or replace), in one transaction.
    pub async fn put_all(&self, records: &[T]) -> Result<(), StoreError> {
        let transaction = self.db.transaction(&[self.store], IdbTransactionMode::Readwrite)?;
        let store = transaction.store(self.store)?;
        for record in records {
            store.put(&to_js(record)?).await?;
        }
        transaction.done().await?;
        Ok(())
    }

    /// Writes one record (insert or replace).
    pub async fn put(&self, record: &T) -> Result<(), StoreError> {
        self.put_all(std::slice::from_ref(record)).await
    }

    /// Deletes the record with this id.
    pub async fn delete(&self, id: &str) -> Result<(), StoreError> {
        let transaction = self.db.transaction(&[self.store], IdbTransactionMode::Readwrite)?;
        transaction.store(self.store)?.delete(&JsValue::from_str(id)).await?;
        transaction.done().await?;
        Ok(())
    }
}
