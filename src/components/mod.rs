//! Widgets shared by the pages, one component per file.
mod copy_button;
mod error_view;
mod file_button;
pub mod file_io;
pub mod icon;
mod loading;
mod markdown_view;
mod nav_bar;
mod not_found;
mod page_title;
mod stray_drop;
mod tool_button;

pub use copy_button::CopyButton;
pub use error_view::ErrorView;
pub use file_button::FileButton;
pub use icon::{Icon, IconSvg};
pub use loading::Loading;
pub use markdown_view::MarkdownView;
pub use nav_bar::NavBar;
pub use not_found::NotFound;
pub use page_title::{document_title, use_page_title};
pub use stray_drop::refuse_stray_drops;
pub use tool_button::ToolButton;
