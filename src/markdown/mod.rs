//! Markdown for model output, shared by the pages that show it (Chat, Batches): safe rendering
//! (model output is untrusted) and block sealing, so a growing answer re-renders only its last,
//! unfinished block.
mod blocks;
mod highlight;
mod render;

pub use blocks::BlockSplitter;
pub use render::{render_block, safe_url};
