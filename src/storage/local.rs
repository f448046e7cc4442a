//! Small values in the browser's localStorage, each kept as its JSON text (the format
//! gloo-storage wrote, so entries stored before read as they did). Outside a browser (native
//! tests) nothing is stored: reads find nothing and writes do nothing.
use serde::{de::DeserializeOwned, Serialize};

fn storage() -> Option<web_sys::Storage> {
    if !cfg!(target_arch = "wasm32") {
        return None;
    }
    web_sys::window()?.local_storage().ok().flatten()
}

/// The value stored under `key`; None when it is missing, unreadable or of another shape.
pub fn get<T: DeserializeOwned>(key: &str) -> Option<T> {
    let text = storage()?.get_item(key).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

/// Stores `value` under `key`; a full or blocked storage only loses it.
pub fn set<T: Serialize + ?Sized>(key: &str, value: &T) {
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(value)) {
        let _ = storage.set_item(key, &text);
    }
}

pub fn delete(key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
}
