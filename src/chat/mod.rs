//! The Chat page (Chat.CreateChatCompletionStream and Chat.CreateChatCompletion): conversations
//! kept in IndexedDB, streamed answers rendered as safe markdown.
mod accumulator;
pub mod attachments;
mod composer;
mod conversation_row;
mod date_groups;
mod drawer;
pub mod drafts;
mod failure_note;
pub mod follow;
pub mod conversation;
pub mod export;
mod message_view;
mod model_cache;
mod page;
mod params_panel;
pub mod records;
mod row_menu;
pub mod session;
pub mod shortcuts;
mod sidebar;
mod user_message;
pub mod state;
pub mod store;
pub mod sync;
mod version_switcher;
pub mod versions;
mod widget;

pub use accumulator::{finish_reason_label, Answer, ChoiceText};
pub use page::ChatPage;
