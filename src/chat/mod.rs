//! The Chat page (Chat.CreateChatCompletionStream and Chat.CreateChatCompletion).
mod accumulator;
mod answer_view;
pub mod markdown;
pub mod retry;
mod page;

pub use accumulator::{Answer, ChoiceText};
pub use page::ChatPage;
