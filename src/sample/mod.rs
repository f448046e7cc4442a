//! The raw sampling page (Sample service).
mod page;

pub use page::SamplePage;
