//! Markdown for model output, shared by the pages that show it (Chat, Batches): safe rendering
//! (model output is untrusted), block sealing, and incremental rendering of the open block, so a
//! growing answer costs time per update bounded by what changed, whatever its shape.
mod blocks;
mod highlight;
mod lines;
mod pieces;
mod render;
mod stream;
#[cfg(test)]
mod stream_tests;
mod table_freeze;
mod tail;

pub use blocks::BlockSplitter;
pub use render::{render_block, safe_url};
pub use stream::{MarkdownStream, Patch};
pub use table_freeze::{FreezeChange, OpenTable, TableFreeze};
pub use tail::TailPatch;
