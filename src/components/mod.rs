//! Widgets shared by the pages, one component per file.
mod error_view;
mod file_button;
mod focus;
pub mod file_io;
mod loading;
mod markdown_view;
mod nav_bar;
mod not_found;
mod page_title;
mod shortcut_sheet;
mod stray_drop;
mod tab_list;

pub use error_view::ErrorView;
pub use file_button::FileButton;
pub use focus::focus_next_frame;
pub use loading::Loading;
pub use markdown_view::MarkdownView;
pub use nav_bar::NavBar;
pub use not_found::NotFound;
pub use page_title::{document_title, use_page_title};
pub use shortcut_sheet::{ShortcutSheet, ShortcutSheetButton, ShortcutSheetOpen};
pub use stray_drop::refuse_stray_drops;
pub use tab_list::{tab_panel_id, TabList};
