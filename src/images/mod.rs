//! The Images page (Image.CreateImage and Image.EditImage): forms, results, a history of
//! generations kept with their images in IndexedDB.
mod create_form;
mod edit_form;
mod fetch;
pub mod files;
mod generation_view;
pub mod history;
mod history_list;
mod image_picker;
mod lightbox;
pub mod options;
mod page;
mod params_fields;
mod progress;
pub mod run;
pub mod saved;
pub mod state;
pub mod store;
mod sync;

pub use page::ImagesPage;
