//! The chat's state: the conversations (mirrored to IndexedDB), the selected one, and the
//! answer that is streaming right now. The app creates it once (see [`crate::work`]), so an
//! answer keeps streaming, and is saved, while other pages are shown.
use futures_util::future::AbortHandle;
use leptos::{prelude::*, task::spawn_local};

use super::{
    conversation::Conversation,
    records::{assign_orders, keep_orders, plan_writes, skipped_notice, WritePlan},
    render_pace::RenderPace,
    store::{ConversationStore, Loaded, StoreError},
    sync::ChatSync,
    Answer,
};
use crate::{
    error::AppError,
    work::{
        clock::{new_id, now_ms},
        live_calls::{self, SavedCall},
        phase::Phase,
    },
};

/// The answer being produced, shown live without touching the conversation list per delta.
#[derive(Clone, Debug, PartialEq)]
pub struct LiveAnswer {
    pub conversation_id: String,
    pub message_id: String,
    pub answer: Answer,
}

/// The conversation list once the database has been read: the ones created meanwhile (`early`,
/// newest first) on top, then the stored ones.
pub fn with_early(early: Vec<Conversation>, stored: Vec<Conversation>) -> Vec<Conversation> {
    let stored = stored.into_iter().filter(|s| !early.iter().any(|e| e.id == s.id));
    early.iter().cloned().chain(stored).collect()
}

/// Created once by the app and shared through context (the chat page and its components
/// borrow it; it outlives them). Copy.
#[derive(Clone, Copy)]
pub struct ChatState {
    pub conversations: RwSignal<Vec<Conversation>>,
    pub current: RwSignal<Option<String>>,
    /// The answer streaming now. Deltas are added to it as they arrive without notifying;
    /// readers are notified at most once per animation frame (see `session.rs`).
    pub live: RwSignal<Option<LiveAnswer>>,
    /// When `live`'s readers are notified next.
    pub live_pace: StoredValue<RenderPace>,
    /// Which message is live; changes only when another message starts or the answer ends, so
    /// only the live message (not every message) reacts to each delta.
    pub live_id: Memo<Option<String>>,
    pub phase: RwSignal<Phase>,
    /// The last failure and the answer it belongs to: that answer shows it (once, in place).
    pub failure: RwSignal<Option<(String, AppError)>>,
    /// The last deleted conversation, for Undo.
    pub deleted: RwSignal<Option<Conversation>>,
    pub storage_error: RwSignal<Option<String>>,
    /// IndexedDB writes not yet committed: a reload now could lose them (shown as aria-busy).
    pub writes_in_flight: RwSignal<u32>,
    pub loaded: RwSignal<bool>,
    pub store: StoredValue<Option<ConversationStore>, LocalStorage>,
    pub abort: StoredValue<Option<AbortHandle>, LocalStorage>,
    /// Other tabs' changes, and notices about stored data.
    pub sync: ChatSync,
}

impl ChatState {
    /// Empty state; `load` fills it from IndexedDB.
    pub fn new() -> Self {
        let live = RwSignal::new(None::<LiveAnswer>);
        ChatState {
            conversations: RwSignal::new(Vec::new()),
            current: RwSignal::new(None),
            live,
            live_pace: StoredValue::new(RenderPace::default()),
            live_id: Memo::new(move |_| live.with(|live| live.as_ref().map(|l| l.message_id.clone()))),
            phase: RwSignal::new(Phase::Idle),
            failure: RwSignal::new(None),
            deleted: RwSignal::new(None),
            storage_error: RwSignal::new(None),
            writes_in_flight: RwSignal::new(0),
            loaded: RwSignal::new(false),
            store: StoredValue::new_local(None),
            abort: StoredValue::new_local(None),
            sync: ChatSync::new(),
        }
    }

    /// Opens the database, loads every conversation and follows other tabs' changes (for as
    /// long as the owner this is called under lives). Answers saved as streaming: one another
    /// tab streams stays streaming (that tab's checkpoints and end reach this one); one this
    /// tab's reload cut short is interrupted, written so (every tab open on it shows it so);
    /// any other shows as interrupted without being written (its tab's last save may still be
    /// on its way). Records that cannot be read are skipped with a notice.
    pub fn load(self) {
        self.listen_to_other_tabs();
        spawn_local(async move {
            let result: Result<Loaded, StoreError> = async {
                let store = ConversationStore::open().await?;
                let loaded = store.load().await?;
                self.store.set_value(Some(store));
                Ok(loaded)
            }
            .await;
            match result {
                Ok(Loaded { conversations: mut stored, unreadable }) => {
                    let cut_short = mark_interrupted(&mut stored, live_calls::what_became_of);
                    self.sync.notice.set(skipped_notice(unreadable));
                    // Chats started before the database opened (New chat, Alt+N, a first
                    // message) are kept, and saved now that they can be.
                    let early = self.conversations.get_untracked();
                    self.conversations.set(with_early(early.clone(), stored));
                    if self.current.get_untracked().is_none() {
                        self.current.set(self.conversations.with_untracked(|all| all.first().map(|c| c.id.clone())));
                    }
                    self.save(early);
                    self.write(cut_short, false);
                }
                Err(error) => self.storage_error.set(Some(error.to_string())),
            }
            self.loaded.set(true);
        });
    }

    /// The selected conversation.
    pub fn current_conversation(&self) -> Option<Conversation> {
        let id = self.current.get()?;
        self.conversations.with(|all| all.iter().find(|c| c.id == id).cloned())
    }

    /// Changes one conversation in memory and saves what changed (a streaming checkpoint: its
    /// one message record). A conversation no longer here (deleted) is left alone.
    pub fn modify(self, id: &str, change: impl FnOnce(&mut Conversation)) {
        let mut plan = None;
        self.conversations.update(|all| {
            if let Some(conversation) = all.iter_mut().find(|c| c.id == id) {
                let before = conversation.clone();
                change(conversation);
                keep_orders(&before, conversation);
                assign_orders(conversation, now_ms());
                plan = Some(plan_writes(Some(&before), conversation));
            }
        });
        if let Some(plan) = plan {
            self.write(vec![plan], false);
        }
    }

    /// Saves conversations whole in the background; a failure shows once, nothing is lost in
    /// memory. One deleted meanwhile (in any tab) is not written back.
    pub fn save(self, conversations: Vec<Conversation>) {
        let plans = self.place_whole(conversations);
        self.write(plans, false);
    }

    /// Starts an empty conversation and selects it.
    pub fn create(self, model: String) -> String {
        self.add_and_open(Conversation::new(new_id(), now_ms(), model))
    }

    /// Puts a new conversation on top of the list, selects it and saves it; returns its id.
    pub(super) fn add_and_open(self, conversation: Conversation) -> String {
        let id = conversation.id.clone();
        self.conversations.update(|all| all.insert(0, conversation.clone()));
        self.current.set(Some(id.clone()));
        self.save(vec![conversation]);
        id
    }

    /// Deletes a conversation; it can be restored with `undo_delete` until the next delete.
    pub fn delete(self, id: &str) {
        let mut removed = None;
        self.conversations.update(|all| {
            if let Some(position) = all.iter().position(|c| c.id == id) {
                removed = Some(all.remove(position));
            }
        });
        let Some(removed) = removed else { return };
        if self.current.get_untracked().as_deref() == Some(id) {
            self.current.set(self.conversations.with_untracked(|all| all.first().map(|c| c.id.clone())));
        }
        let id = removed.id.clone();
        self.deleted.set(Some(removed));
        self.write_deletion(id);
    }

    /// Restores the last deleted conversation.
    pub fn undo_delete(self) {
        if let Some(conversation) = self.deleted.get_untracked() {
            self.deleted.set(None);
            self.conversations.update(|all| {
                all.push(conversation.clone());
                all.sort_by(|a, b| b.updated_ms.total_cmp(&a.updated_ms));
            });
            self.current.set(Some(conversation.id.clone()));
            // Undo brings it back in every tab: its tombstone goes.
            let plans = self.place_whole(vec![conversation]);
            self.write(plans, true);
        }
    }

    /// Adds imported conversations (an id already present is replaced: re-importing an export
    /// gives the same state, not duplicates). An import is the user's word: it brings back a
    /// conversation deleted before.
    pub fn import(self, mut imported: Vec<Conversation>) {
        let now = now_ms();
        for conversation in &mut imported {
            assign_orders(conversation, now);
        }
        let mut plans = Vec::new();
        self.conversations.update(|all| {
            plans = imported.iter().map(|new| plan_writes(all.iter().find(|c| c.id == new.id), new)).collect();
            all.retain(|existing| !imported.iter().any(|new| new.id == existing.id));
            all.extend(imported.iter().cloned());
            all.sort_by(|a, b| b.updated_ms.total_cmp(&a.updated_ms));
        });
        self.write(plans, true);
    }
}

impl Default for ChatState {
    fn default() -> Self {
        Self::new()
    }
}

/// Marks the answers saved as streaming whose call `became` says runs nowhere as interrupted;
/// returns what writes those this tab's reload cut short.
pub fn mark_interrupted(conversations: &mut [Conversation], became: impl Fn(Option<&str>) -> SavedCall) -> Vec<WritePlan> {
    let mut plans = Vec::new();
    for conversation in conversations {
        let before = conversation.clone();
        if conversation.mark_interrupted(|call| became(call) == SavedCall::CutShortHere) {
            plans.push(plan_writes(Some(&before), conversation));
        }
        conversation.mark_interrupted(|call| became(call) == SavedCall::Gone);
    }
    plans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::conversation::{ChatMessage, MessageStatus};

    #[test]
    fn chats_started_before_the_database_opened_are_kept_on_top() {
        let conversation = |id: &str, updated: f64| Conversation::new(id.into(), updated, "grok-4".into());
        let early = vec![conversation("new", 30.0)];
        let stored = vec![conversation("b", 20.0), conversation("a", 10.0)];
        let ids: Vec<String> = with_early(early, stored).into_iter().map(|c| c.id).collect();
        assert_eq!(ids, ["new", "b", "a"]);
        assert_eq!(with_early(Vec::new(), vec![conversation("a", 1.0)]).len(), 1);
    }

    #[test]
    fn on_load_only_answers_this_tab_cut_short_are_written_interrupted_and_another_tabs_stream_is_left_alone() {
        let streaming = |id: &str, call: Option<&str>| ChatMessage {
            order: 1.0,
            call: call.map(str::to_owned),
            ..ChatMessage::pending_answer(id.into(), "grok-4".into())
        };
        let mut conversation = Conversation::new("c".into(), 1.0, "grok-4".into());
        conversation.messages = vec![
            streaming("mine", Some("here/1")),
            streaming("theirs", Some("there/1")),
            streaming("ended", Some("there/0")),
            streaming("old", None),
        ];
        let mut all = vec![conversation];
        let plans = mark_interrupted(&mut all, |call| match call {
            Some("here/1") => SavedCall::CutShortHere,
            Some("there/1") => SavedCall::RunsElsewhere,
            _ => SavedCall::Gone,
        });
        let status = |id: &str| all[0].messages.iter().find(|m| m.id == id).unwrap().status.clone();
        assert_eq!(status("theirs"), MessageStatus::Streaming);
        for id in ["mine", "ended", "old"] {
            assert_eq!(status(id), MessageStatus::Interrupted, "{id}");
        }
        let written: Vec<&str> = plans.iter().flat_map(|plan| plan.messages.iter().map(|m| m.message.id.as_str())).collect();
        assert_eq!(written, ["mine"]);
        assert_eq!(plans[0].messages[0].message.status, MessageStatus::Interrupted);
    }
}
