//! The Chat page (Chat.CreateChatCompletionStream and Chat.CreateChatCompletion): conversations
//! kept in IndexedDB, streamed answers rendered as safe markdown.
mod accumulator;
pub mod attachments;
mod composer;
pub mod conversation;
mod conversation_row;
mod date_groups;
pub mod drafts;
mod drawer;
pub mod export;
mod failure_note;
pub mod follow;
mod message_view;
mod model_cache;
mod page;
mod params_panel;
pub mod records;
mod render_pace;
mod row_menu;
pub mod session;
pub mod shortcuts;
mod sidebar;
pub mod state;
pub mod store;
pub mod sync;
mod thread;
mod user_message;
mod version_switcher;
pub mod versions;
mod widget;

pub use accumulator::{finish_reason_label, Answer, ChoiceText};
pub use page::ChatPage;
