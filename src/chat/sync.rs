//! Tabs in step: after each write a tab announces on a BroadcastChannel which conversation
//! changed and which of its records; the other tabs re-read just those records from IndexedDB
//! and merge them into their copy (records.rs decides how). A conversation deleted in one tab
//! leaves every other tab, which stops streaming into it.
use futures_util::future::FutureExt;
use leptos::{prelude::*, task::spawn_local};
use serde::{Deserialize, Serialize};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use web_sys::{BroadcastChannel, MessageEvent};

use super::{
    conversation::{Conversation, MessageStatus},
    records::{assign_orders, merge, StoredChange, WritePlan},
    state::ChatState,
    store::Stored,
};
use crate::work::{
    clock::now_ms,
    live_calls::{self, SavedCall},
};

/// The channel every tab of this origin shares.
const CHANNEL: &str = "xai-web-conversations";
/// Set once persistent storage has been asked for, so the browser is asked once per device.
const PERSIST_ASKED: &str = "xai-web.persist-asked";

/// What a tab tells the others after writing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Announcement {
    Saved {
        id: String,
        /// The conversation record changed (title, model, parameters, time).
        meta: bool,
        /// Ids of the messages written.
        messages: Vec<String>,
        /// Messages were removed too: read the conversation whole.
        whole: bool,
    },
    Deleted {
        id: String,
    },
}

impl Announcement {
    /// What a write tells the other tabs.
    pub fn of(plan: &WritePlan) -> Self {
        Announcement::Saved {
            id: plan.conversation_id.clone(),
            meta: plan.meta.is_some(),
            messages: plan.messages.iter().map(|m| m.message.id.clone()).collect(),
            whole: !plan.removed.is_empty(),
        }
    }

    /// An announcement from another tab (None for anything else on the channel).
    pub fn parse(text: &str) -> Option<Self> {
        serde_json::from_str(text).ok()
    }
}

type Listener = (BroadcastChannel, Closure<dyn FnMut(MessageEvent)>);

/// The chat state's link to other tabs and what the page says about stored data. Copy.
#[derive(Clone, Copy)]
pub struct ChatSync {
    /// A notice about saved data: records skipped as unreadable, a chat deleted in another tab.
    pub notice: RwSignal<Option<String>>,
    channel: StoredValue<Option<Listener>, LocalStorage>,
    /// Local changes so far: a re-read that overlaps one is repeated, so it includes it.
    edits: StoredValue<u64>,
}

impl ChatSync {
    pub fn new() -> Self {
        ChatSync { notice: RwSignal::new(None), channel: StoredValue::new_local(None), edits: StoredValue::new(0) }
    }

    /// Counts a local change.
    pub fn edited(&self) {
        self.edits.try_update_value(|n| *n += 1);
    }

    fn announce(&self, announcement: &Announcement) {
        let Ok(text) = serde_json::to_string(announcement) else {
            return;
        };
        self.channel.try_with_value(|channel| {
            if let Some((channel, _)) = channel {
                let _ = channel.post_message(&JsValue::from_str(&text));
            }
        });
    }
}

impl Default for ChatSync {
    fn default() -> Self {
        Self::new()
    }
}

/// Asks the browser once to keep this site's storage under storage pressure; a refusal changes
/// nothing (the chats are kept as before, only evictable).
fn request_persistence() {
    use crate::storage::local;
    if local::get::<bool>(PERSIST_ASKED).unwrap_or(false) {
        return;
    }
    local::set(PERSIST_ASKED, &true);
    let Some(window) = web_sys::window() else {
        return;
    };
    // Undefined outside secure contexts: the call then fails, which is fine.
    if let Ok(promise) = window.navigator().storage().persist() {
        spawn_local(wasm_bindgen_futures::JsFuture::from(promise).map(|_| ()));
    }
}

impl ChatState {
    /// Listens to the other tabs for as long as the owner this is called under lives, and asks
    /// for persistent storage.
    pub(super) fn listen_to_other_tabs(self) {
        request_persistence();
        let Ok(channel) = BroadcastChannel::new(CHANNEL) else {
            return;
        };
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(announcement) = event.data().as_string().and_then(|text| Announcement::parse(&text)) {
                self.on_announcement(announcement);
            }
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        live_calls::on_other_tabs_change(move || self.on_live_calls_changed());
        self.sync.channel.set_value(Some((channel, on_message)));
        let slot = self.sync.channel;
        on_cleanup(move || {
            if let Some(Some((channel, _on_message))) = slot.try_update_value(Option::take) {
                channel.set_onmessage(None);
                channel.close();
            }
        });
    }

    /// Another tab's call began or ended. An answer shown streaming whose call now runs nowhere
    /// (its tab closed, or went elsewhere, while it streamed) is read again, as its tab's last
    /// save may have finished it; if still unfinished it shows as interrupted (not written: the
    /// tab that made it writes that when it comes back).
    pub(super) fn on_live_calls_changed(self) {
        let gone = |call: Option<&str>| live_calls::what_became_of(call) == SavedCall::Gone;
        let ended: Vec<(String, Vec<String>)> = self
            .conversations
            .try_with_untracked(|all| {
                all.iter()
                    .filter_map(|conversation| {
                        let ids: Vec<String> = conversation
                            .messages
                            .iter()
                            .filter(|m| m.status == MessageStatus::Streaming && m.call.is_some() && gone(m.call.as_deref()))
                            .map(|m| m.id.clone())
                            .collect();
                        (!ids.is_empty()).then(|| (conversation.id.clone(), ids))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let Some(store) = self.store.try_get_value().flatten() else { return };
        for (id, message_ids) in ended {
            let store = store.clone();
            spawn_local(async move {
                if let Ok(Stored::Present(change)) = store.read(&id, &message_ids, false).await {
                    self.merge_in(&id, *change);
                }
                self.conversations.try_update(|all| {
                    if let Some(conversation) = all.iter_mut().find(|c| c.id == id) {
                        conversation.mark_interrupted(|call| call.is_some() && gone(call));
                    }
                });
            });
        }
    }

    fn on_announcement(self, announcement: Announcement) {
        match announcement {
            Announcement::Deleted { id } => self.deleted_elsewhere(&id),
            Announcement::Saved { id, messages, whole, .. } => {
                let known = self.conversations.try_with_untracked(|all| all.iter().any(|c| c.id == id)).unwrap_or(false);
                self.refresh(id, messages, whole || !known);
            }
        }
    }

    /// Re-reads what another tab stored of a conversation and merges it in.
    fn refresh(self, id: String, message_ids: Vec<String>, whole: bool) {
        let Some(store) = self.store.try_get_value().flatten() else {
            return;
        };
        spawn_local(async move {
            for attempt in 0..3 {
                let edits = self.sync.edits.try_get_value();
                let stored = store.read(&id, &message_ids, whole).await;
                // A local change during the read may be missing from it (its write was queued
                // after the read): read again, then it is included.
                if attempt < 2 && self.sync.edits.try_get_value() != edits {
                    continue;
                }
                match stored {
                    Ok(Stored::Present(change)) => self.merge_in(&id, *change),
                    Ok(Stored::Deleted) => self.deleted_elsewhere(&id),
                    Ok(Stored::Missing) | Err(_) => {}
                }
                return;
            }
        });
    }

    fn merge_in(self, id: &str, change: StoredChange) {
        let live =
            self.live.try_with_untracked(|live| live.as_ref().filter(|l| l.conversation_id == id).map(|l| l.message_id.clone())).flatten();
        let merged = self.conversations.try_with_untracked(|all| match all.iter().find(|c| c.id == id) {
            Some(local) => Some(merge(local, change, live.as_deref())).filter(|merged| merged != local),
            None => change.meta.clone().map(|meta| merge(&meta.with_messages(Vec::new()), change, None)),
        });
        let Some(Some(merged)) = merged else { return };
        self.conversations.try_update(|all| {
            match all.iter_mut().find(|c| c.id == id) {
                Some(local) => *local = merged,
                None => all.push(merged),
            }
            all.sort_by(|a, b| b.updated_ms.total_cmp(&a.updated_ms));
        });
    }

    /// Another tab deleted this conversation: the deletion wins. A stream into it stops, and
    /// it leaves the list.
    pub(super) fn deleted_elsewhere(self, id: &str) {
        if self.live.try_with_untracked(|live| live.as_ref().is_some_and(|l| l.conversation_id == id)).unwrap_or(false) {
            self.stop();
        }
        let mut removed = None;
        self.conversations.try_update(|all| {
            if let Some(position) = all.iter().position(|c| c.id == id) {
                removed = Some(all.remove(position));
            }
        });
        let Some(removed) = removed else { return };
        if self.current.try_get_untracked().flatten().as_deref() == Some(id) {
            self.current.try_set(self.conversations.try_with_untracked(|all| all.first().map(|c| c.id.clone())).flatten());
        }
        self.sync.notice.try_set(Some(format!("“{}” was deleted in another tab.", removed.title)));
    }

    /// Gives the messages of these conversations (here and in the list) their places, and
    /// returns what writes them whole.
    pub(super) fn place_whole(self, conversations: Vec<Conversation>) -> Vec<WritePlan> {
        let now = now_ms();
        let ids: Vec<&str> = conversations.iter().map(|c| c.id.as_str()).collect();
        // The same messages and the same time give the same places in both copies.
        self.conversations.update(|all| {
            for conversation in all.iter_mut().filter(|c| ids.contains(&c.id.as_str())) {
                assign_orders(conversation, now);
            }
        });
        conversations
            .into_iter()
            .map(|mut conversation| {
                assign_orders(&mut conversation, now);
                WritePlan::whole(&conversation)
            })
            .collect()
    }

    /// Writes these changes in the background and announces them; a failure shows once,
    /// nothing is lost in memory. `revive` (Undo, import) writes even a deleted conversation.
    pub(super) fn write(self, plans: Vec<WritePlan>, revive: bool) {
        let plans: Vec<WritePlan> = plans.into_iter().filter(|plan| !plan.is_empty()).collect();
        let Some(store) = self.store.try_get_value().flatten().filter(|_| !plans.is_empty()) else {
            return;
        };
        self.sync.edited();
        self.writes_in_flight.update(|n| *n += 1);
        spawn_local(async move {
            match store.write(&plans, revive).await {
                Ok(refused) => {
                    for plan in plans.iter().filter(|plan| !refused.contains(&plan.conversation_id)) {
                        self.sync.announce(&Announcement::of(plan));
                    }
                    for id in refused {
                        self.deleted_elsewhere(&id);
                    }
                }
                Err(error) => {
                    self.storage_error.try_set(Some(error.to_string()));
                }
            }
            self.writes_in_flight.try_update(|n| *n -= 1);
        });
    }

    /// Deletes a conversation in the store (leaving its tombstone) and tells the other tabs.
    pub(super) fn write_deletion(self, id: String) {
        let Some(store) = self.store.try_get_value().flatten() else {
            return;
        };
        self.sync.edited();
        self.writes_in_flight.update(|n| *n += 1);
        spawn_local(async move {
            match store.delete(&id, now_ms()).await {
                Ok(()) => self.sync.announce(&Announcement::Deleted { id }),
                Err(error) => {
                    self.storage_error.try_set(Some(error.to_string()));
                }
            }
            self.writes_in_flight.try_update(|n| *n -= 1);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::{conversation::ChatMessage, records::plan_writes};

    #[test]
    fn a_checkpoint_announces_only_its_message_and_other_traffic_is_ignored() {
        let mut before = Conversation::new("c".into(), 1.0, "m".into());
        before.messages.push(ChatMessage::pending_answer("a".into(), "m".into()));
        let mut after = before.clone();
        after.messages[0].content = "more".into();
        let announcement = Announcement::of(&plan_writes(Some(&before), &after));
        assert_eq!(announcement, Announcement::Saved { id: "c".into(), meta: false, messages: vec!["a".into()], whole: false });
        let text = serde_json::to_string(&announcement).unwrap();
        assert_eq!(Announcement::parse(&text), Some(announcement));
        assert_eq!(Announcement::parse(r#"{"change":"deleted","id":"c"}"#), Some(Announcement::Deleted { id: "c".into() }));
        assert_eq!(Announcement::parse("hello"), None);
    }
}
