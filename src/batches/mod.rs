//! The Batches page (BatchMgmt service).
mod page;

pub use page::BatchesPage;
