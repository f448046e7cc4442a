//! The raw sampling page (Sample.RawSample and Sample.RawSampleStream): a prompt playground
//! with n choices side by side.
pub mod answer;
mod choice_column;
mod page;
pub mod params;
mod params_form;
pub mod saved;
pub mod session;

pub use page::SamplePage;
