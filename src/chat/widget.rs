//! The chat as an embedded widget: one conversation per host site (the browser partitions the
//! iframe's storage by the top-level site), with the host page's system prompt and model.
use leptos::prelude::*;

use super::state::ChatState;
use crate::{deploy::EmbedOptions, storage::local};

/// Where a widget remembers its conversation, so a reload of the host page keeps the chat.
fn storage_key(options: &EmbedOptions) -> String {
    format!("xai-web.widget-conversation.{}", options.widget_id)
}

/// Once the conversations are loaded, opens the widget's conversation or starts one. A
/// conversation started before they are (a first message sent at once: the composer works
/// before the saved chats are read) becomes the widget's, rather than being hidden by the
/// saved one when they arrive.
pub fn open_conversation(state: ChatState, options: EmbedOptions, model: RwSignal<String>) {
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        let started = state.current.get();
        if !state.loaded.get() {
            if let Some(id) = started {
                local::set(&storage_key(&options), &id);
                return true;
            }
            return false;
        }
        let saved: Option<String> = local::get(&storage_key(&options));
        let exists = saved.as_ref().is_some_and(|id| state.conversations.with_untracked(|all| all.iter().any(|c| &c.id == id)));
        match saved {
            Some(id) if exists => state.current.set(Some(id)),
            _ => start_conversation(state, &options, model.get_untracked()),
        }
        true
    });
}

/// Starts a fresh widget conversation with the host page's system prompt.
pub fn start_conversation(state: ChatState, options: &EmbedOptions, model: String) {
    let id = state.create(model);
    let system_prompt = options.system_prompt.clone();
    if !system_prompt.is_empty() {
        state.modify(&id, move |c| c.system_prompt = system_prompt);
    }
    local::set(&storage_key(options), &id);
}
