//! The API keys page (Auth service).
mod page;

pub use page::KeysPage;
