//! The Models page: every model of the endpoint, filtered and searched, with a detail view.
mod detail_page;
mod filter;
mod list_page;

pub use detail_page::ModelDetailPage;
pub use filter::ModelFilter;
pub use list_page::ModelsPage;
