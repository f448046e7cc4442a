//! The thread's messages, loaded on demand: their views, the markdown renderer and the message
//! toolbar are in a wasm file of their own (see [`crate::components::on_demand`]), fetched as the
//! page opens. The composer, the model list and the answers' streaming and saving are in the
//! main module, so the chat can be typed into and sent from before that file is there (the
//! widget's frame is usable sooner); an answer that streams meanwhile shows once it is.
use leptos::{prelude::*, wasm_split::SplitLoaderError};

use super::{conversation::ChatMessage, message_view::MessageView, state::ChatState};

/// What the thread's messages are drawn from: the page's view of the open conversation.
#[derive(Clone, Copy)]
pub struct ThreadMessages {
    pub state: ChatState,
    /// The messages on screen (the newest of the conversation).
    pub visible: Memo<Vec<ChatMessage>>,
    pub last_id: Memo<Option<String>>,
    /// Set once the messages are on the page, so that the page scrolls to the newest then.
    pub mounted: RwSignal<bool>,
}

#[leptos::wasm_split::wasm_split(thread, wasm_split_path = ::leptos::wasm_split, fallible)]
fn thread_view(thread: ThreadMessages) -> Result<AnyView, SplitLoaderError> {
    let ThreadMessages { state, visible, last_id, mounted } = thread;
    // An effect's first run comes after the view below is in the page.
    Effect::new(move |_| mounted.set(true));
    Ok(view! {
        // Keyed by message id: a saved change re-renders nothing; new messages add views.
        <For each=move || visible.get() key=|message| message.id.clone() let:message>
            {
                let id = message.id.clone();
                let is_last = Signal::derive(move || last_id.with(|last| last.as_deref() == Some(id.as_str())));
                let conversation_id = state.current.get_untracked().unwrap_or_default();
                view! { <MessageView conversation_id message is_last/> }
            }
        </For>
    }
    .into_any())
}

/// The thread's messages, once their code is there.
pub fn thread_messages(thread: ThreadMessages) -> impl IntoView {
    crate::components::on_demand("The messages", move || thread_view(thread))
}
