//! Small values in the browser's localStorage (or a tab's sessionStorage), each kept as its JSON
//! text (the format gloo-storage wrote, so entries stored before read as they did). Outside a browser (native
//! tests) nothing is stored: reads find nothing and writes do nothing.
use serde::{de::DeserializeOwned, Serialize};

/// localStorage (shared by the origin's tabs, kept until cleared) or this tab's sessionStorage
/// (kept across its reloads, seen by no other tab).
#[derive(Clone, Copy)]
enum Area {
    Origin,
    Tab,
}

fn storage(area: Area) -> Option<web_sys::Storage> {
    if !cfg!(target_arch = "wasm32") {
        return None;
    }
    let window = web_sys::window()?;
    match area {
        Area::Origin => window.local_storage(),
        Area::Tab => window.session_storage(),
    }
    .ok()
    .flatten()
}

fn read<T: DeserializeOwned>(area: Area, key: &str) -> Option<T> {
    let text = storage(area)?.get_item(key).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

fn write<T: Serialize + ?Sized>(area: Area, key: &str, value: &T) {
    if let (Some(storage), Ok(text)) = (storage(area), serde_json::to_string(value)) {
        let _ = storage.set_item(key, &text);
    }
}

/// The value stored under `key`; None when it is missing, unreadable or of another shape.
pub fn get<T: DeserializeOwned>(key: &str) -> Option<T> {
    read(Area::Origin, key)
}

/// Stores `value` under `key`; a full or blocked storage only loses it.
pub fn set<T: Serialize + ?Sized>(key: &str, value: &T) {
    write(Area::Origin, key, value)
}

/// [`get`] from this tab's own storage: work in progress that a reload must not lose and that
/// another tab, with its own work, must not take for its own.
pub fn get_for_tab<T: DeserializeOwned>(key: &str) -> Option<T> {
    read(Area::Tab, key)
}

/// [`set`] in this tab's own storage (see [`get_for_tab`]).
pub fn set_for_tab<T: Serialize + ?Sized>(key: &str, value: &T) {
    write(Area::Tab, key, value)
}

pub fn delete(key: &str) {
    if let Some(storage) = storage(Area::Origin) {
        let _ = storage.remove_item(key);
    }
}
