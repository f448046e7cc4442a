//! The Images page (Image service).
mod page;

pub use page::ImagesPage;
