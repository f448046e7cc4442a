//! The few IndexedDB operations the app needs, straight over web-sys: open a database (creating
//! the object stores and indexes it lacks), transactions, and each request as a future. A
//! request's success and error events settle a promise, so a transaction stays active from
//! one request to the next: their continuations run as microtasks, before it commits.
use js_sys::{Array, Promise};
use wasm_bindgen::{prelude::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    DomException, Event, IdbDatabase, IdbIndex, IdbObjectStore, IdbObjectStoreParameters, IdbRequest, IdbTransaction, IdbTransactionMode,
};

use super::StoreError;

/// An object store a database must have: its key path and its indexes (name, key path).
pub struct StoreSpec {
    pub name: &'static str,
    pub key_path: &'static str,
    pub indexes: &'static [(&'static str, &'static str)],
}

/// What the browser said went wrong (an exception or a request's error).
fn error_of(value: &JsValue) -> StoreError {
    match value.dyn_ref::<DomException>() {
        Some(exception) => StoreError::new(format!("{}: {}", exception.name(), exception.message())),
        None => StoreError::new(value.as_string().unwrap_or_else(|| "the browser refused".into())),
    }
}

/// Waits for a request and gives its result.
async fn settled(request: &IdbRequest) -> Result<JsValue, StoreError> {
    let promise = Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    let outcome = JsFuture::from(promise).await;
    request.set_onsuccess(None);
    request.set_onerror(None);
    match outcome {
        Ok(_) => request.result().map_err(|error| error_of(&error)),
        Err(_) => Err(request.error().ok().flatten().map_or_else(|| StoreError::new("a request failed".into()), |e| error_of(&e))),
    }
}

/// Creates what `stores` lists and the database lacks, during an upgrade.
fn create_missing(database: &IdbDatabase, upgrade: &IdbTransaction, stores: &[StoreSpec]) -> Result<(), JsValue> {
    for spec in stores {
        let store = if database.object_store_names().contains(spec.name) {
            upgrade.object_store(spec.name)?
        } else {
            let parameters = IdbObjectStoreParameters::new();
            parameters.set_key_path(&JsValue::from_str(spec.key_path));
            database.create_object_store_with_optional_parameters(spec.name, &parameters)?
        };
        for (index, key_path) in spec.indexes {
            if !store.index_names().contains(index) {
                store.create_index_with_str(index, key_path)?;
            }
        }
    }
    Ok(())
}

/// An open database. Cheap to clone.
#[derive(Clone)]
pub struct Database(IdbDatabase);

impl Database {
    /// Opens `name` at `version`, upgrading it to have `stores`. Another tab asking for a newer
    /// version closes this connection, so its upgrade is not blocked.
    pub async fn open(name: &str, version: u32, stores: &'static [StoreSpec]) -> Result<Self, StoreError> {
        let factory = web_sys::window()
            .and_then(|window| window.indexed_db().ok().flatten())
            .ok_or_else(|| StoreError::new("this browser offers no IndexedDB here".into()))?;
        let request = factory.open_with_u32(name, version).map_err(|error| error_of(&error))?;
        // A one-shot closure that frees itself when called: the event may come after this
        // future is gone (then it still upgrades), and an open without upgrade leaks only it.
        let upgrade = Closure::once_into_js({
            let request = request.clone();
            move |_: Event| {
                let (Ok(database), Some(transaction)) = (request.result(), request.transaction()) else {
                    return;
                };
                if create_missing(database.unchecked_ref(), &transaction, stores).is_err() {
                    // The open then fails with AbortError, and so does this call.
                    let _ = transaction.abort();
                }
            }
        });
        request.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
        let opened = settled(&request).await;
        request.set_onupgradeneeded(None);
        let database: IdbDatabase = opened?.unchecked_into();
        let on_version_change = Closure::<dyn FnMut(Event)>::new({
            let database = database.clone();
            move |_: Event| database.close()
        });
        database.set_onversionchange(Some(on_version_change.as_ref().unchecked_ref()));
        // Lives as long as the connection (one per database and page).
        on_version_change.forget();
        Ok(Database(database))
    }

    /// A transaction over `stores`.
    pub fn transaction(&self, stores: &[&str], mode: IdbTransactionMode) -> Result<Transaction, StoreError> {
        let names: Array = stores.iter().map(|name| JsValue::from_str(name)).collect();
        self.0.transaction_with_str_sequence_and_mode(&names, mode).map(Transaction).map_err(|error| error_of(&error))
    }
}

/// A transaction in progress.
pub struct Transaction(IdbTransaction);

impl Transaction {
    pub fn store(&self, name: &str) -> Result<Store, StoreError> {
        self.0.object_store(name).map(Store).map_err(|error| error_of(&error))
    }

    /// Waits until everything written is committed.
    pub async fn done(self) -> Result<(), StoreError> {
        let transaction = &self.0;
        let promise = Promise::new(&mut |resolve, reject| {
            transaction.set_oncomplete(Some(&resolve));
            transaction.set_onerror(Some(&reject));
            transaction.set_onabort(Some(&reject));
        });
        JsFuture::from(promise)
            .await
            .map(|_| ())
            .map_err(|_| transaction.error().map_or_else(|| StoreError::new("the transaction was aborted".into()), |e| error_of(&e)))
    }
}

/// Runs a request made by `make` to its end.
async fn run(make: Result<IdbRequest, JsValue>) -> Result<JsValue, StoreError> {
    settled(&make.map_err(|error| error_of(&error))?).await
}

/// An array result as its values.
fn values(result: JsValue) -> Vec<JsValue> {
    result.dyn_into::<Array>().map(|array| array.to_vec()).unwrap_or_default()
}

/// One object store of a transaction.
pub struct Store(IdbObjectStore);

impl Store {
    /// Every record, in key order.
    pub async fn get_all(&self) -> Result<Vec<JsValue>, StoreError> {
        run(self.0.get_all()).await.map(values)
    }

    /// The record with this key, if any.
    pub async fn get(&self, key: &JsValue) -> Result<Option<JsValue>, StoreError> {
        let value = run(self.0.get(key)).await?;
        Ok((!value.is_undefined()).then_some(value))
    }

    pub async fn count(&self) -> Result<u32, StoreError> {
        Ok(run(self.0.count()).await?.as_f64().unwrap_or(0.0) as u32)
    }

    pub async fn key_exists(&self, key: &JsValue) -> Result<bool, StoreError> {
        Ok(run(self.0.count_with_key(key)).await?.as_f64().unwrap_or(0.0) > 0.0)
    }

    /// Inserts or replaces a record (keyed by the store's key path).
    pub async fn put(&self, value: &JsValue) -> Result<(), StoreError> {
        run(self.0.put(value)).await.map(drop)
    }

    pub async fn delete(&self, key: &JsValue) -> Result<(), StoreError> {
        run(self.0.delete(key)).await.map(drop)
    }

    pub fn index(&self, name: &str) -> Result<Index, StoreError> {
        self.0.index(name).map(Index).map_err(|error| error_of(&error))
    }
}

/// An index of an object store.
pub struct Index(IdbIndex);

impl Index {
    /// The records whose indexed value is `key`.
    pub async fn get_all(&self, key: &JsValue) -> Result<Vec<JsValue>, StoreError> {
        run(self.0.get_all_with_key(key)).await.map(values)
    }

    /// The primary keys of the records whose indexed value is `key`.
    pub async fn get_all_keys(&self, key: &JsValue) -> Result<Vec<JsValue>, StoreError> {
        run(self.0.get_all_keys_with_key(key)).await.map(values)
    }
}
