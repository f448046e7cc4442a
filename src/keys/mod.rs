//! The API keys page (Auth service): the current key, the team's keys, create (the secret shown
//! once) and delete (confirmed).
mod access_error;
pub mod acl;
mod create_form;
mod current_key;
mod delete_confirm;
mod key_table;
mod new_secret;
mod page;

pub use access_error::AccessError;
pub use page::KeysPage;
