//! The history in step across tabs: after a tab keeps or deletes a generation, it says so on a
//! BroadcastChannel; the other tabs read that one record from IndexedDB (or drop it), so a
//! generation drawn in one tab shows in every tab's history without a reload.
use leptos::{prelude::*, task::spawn_local};
use serde::{Deserialize, Serialize};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use web_sys::{BroadcastChannel, MessageEvent};

use super::{history, state::ImagesState, store::ImageStore};

/// The channel every tab of this origin shares.
const CHANNEL: &str = "xai-web-images";

/// What a tab tells the others after writing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Announcement {
    Kept { id: String },
    Deleted { id: String },
}

/// The open channel and its listener (kept for the page's life).
pub type Channel = Option<(BroadcastChannel, Closure<dyn FnMut(MessageEvent)>)>;

impl ImagesState {
    /// Tells the other tabs of a change this tab wrote.
    pub(super) fn announce(self, announcement: &Announcement) {
        let Ok(text) = serde_json::to_string(announcement) else { return };
        self.channel.with_value(|channel| {
            if let Some((channel, _)) = channel {
                let _ = channel.post_message(&JsValue::from_str(&text));
            }
        });
    }

    /// Listens to the other tabs from now on (once the history is open in `store`).
    pub(super) fn listen_to_other_tabs(self, store: ImageStore) {
        let Ok(channel) = BroadcastChannel::new(CHANNEL) else { return };
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            match event.data().as_string().and_then(|text| serde_json::from_str(&text).ok()) {
                Some(Announcement::Kept { id }) => {
                    let store = store.clone();
                    spawn_local(async move {
                        if let Ok(Some(generation)) = store.get(&id).await {
                            self.history.update(|all| history::insert(all, generation));
                        }
                    });
                }
                Some(Announcement::Deleted { id }) => {
                    self.history.update(|all| {
                        history::remove(all, &id);
                    });
                }
                None => {}
            }
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        self.channel.set_value(Some((channel, on_message)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn announcements_read_back_as_written() {
        for announcement in [Announcement::Kept { id: "a".into() }, Announcement::Deleted { id: "b".into() }] {
            let text = serde_json::to_string(&announcement).unwrap();
            assert_eq!(serde_json::from_str::<Announcement>(&text).unwrap(), announcement);
        }
        assert_eq!(serde_json::to_string(&Announcement::Kept { id: "a".into() }).unwrap(), r#"{"change":"kept","id":"a"}"#);
    }
}
