//! Widgets shared by the pages, one component per file.
mod error_view;
mod file_button;
pub mod file_io;
mod loading;
mod markdown_view;
mod nav_bar;
mod not_found;
mod page_title;
mod stray_drop;

pub use error_view::ErrorView;
pub use file_button::FileButton;
pub use loading::Loading;
pub use markdown_view::MarkdownView;
pub use nav_bar::NavBar;
pub use not_found::NotFound;
pub use page_title::{document_title, use_page_title};
pub use stray_drop::refuse_stray_drops;
