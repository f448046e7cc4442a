//! The Batches pages (BatchMgmt service): create a batch from request lines written in the page,
//! follow its progress (polled with backoff while it works), read its results, cancel it.
mod add_requests;
mod batch_card;
mod cancel_button;
mod create_form;
mod detail_page;
pub mod draft;
mod draft_problems;
mod list_page;
pub mod pager;
mod pager_nav;
pub mod poll;
pub mod progress;
mod progress_bar;
mod requests_editor;
mod result_view;
mod results_list;

pub use detail_page::BatchDetailPage;
pub use list_page::BatchesPage;
