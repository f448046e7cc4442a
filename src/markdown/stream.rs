//! A streamed answer as page updates: finished blocks are rendered once and placed before the
//! open block; the open block changes by bounded patches (see `tail.rs`). The page's component
//! only applies the patches to the DOM.
use super::{
    blocks::BlockSplitter,
    render::render_block,
    table_freeze::OpenTable,
    tail::{TailPatch, TailRenderer},
};

/// One change to the page's copy of the answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Patch {
    /// A finished block, added before the open block.
    Sealed(String),
    /// The open block is finished as it stands: it stays, and a new, empty open block follows.
    Keep,
    /// The open block changes.
    Tail(TailPatch),
}

/// Streamed markdown, turned into page patches.
#[derive(Clone, Debug, Default)]
pub struct MarkdownStream {
    splitter: BlockSplitter,
    tail: TailRenderer,
}

impl MarkdownStream {
    /// Appends a delta; returns the page patches, in order.
    pub fn push(&mut self, delta: &str) -> Vec<Patch> {
        let grown = self.tail.text().len() + delta.len();
        let sealed = self.splitter.push(delta);
        if sealed == 0 && self.splitter.tail().len() == grown {
            return vec![Patch::Tail(self.tail.push(delta))];
        }
        let mut patches = Vec::new();
        let blocks = self.splitter.sealed();
        let new_blocks = &blocks[blocks.len() - sealed..];
        if let Some((first, rest)) = new_blocks.split_first() {
            // The open block finished: bring it to its final text and keep its element.
            patches.push(Patch::Tail(self.tail.finish(first)));
            patches.push(Patch::Keep);
            patches.extend(rest.iter().map(|block| Patch::Sealed(render_block(block))));
        } else {
            // Only blank lines went: the open block showed nothing.
            patches.push(Patch::Tail(TailPatch::Replace {
                open: String::new(),
                last: String::new(),
                close: String::new(),
                after: String::new(),
                container: None,
            }));
        }
        self.tail = TailRenderer::default();
        let tail = self.splitter.tail().to_owned();
        patches.push(Patch::Tail(self.tail.push(&tail)));
        patches
    }

    /// The open block, when it is a table the page holds in bodies (see `table_freeze.rs`).
    pub fn open_table(&self) -> Option<OpenTable> {
        let bodies = self.tail.table_bodies()?;
        Some(OpenTable { block: self.splitter.sealed().len(), bodies })
    }

    /// The finished blocks' markdown.
    pub fn sealed(&self) -> &[String] {
        self.splitter.sealed()
    }

    /// The open block's markdown.
    pub fn tail(&self) -> &str {
        self.splitter.tail()
    }
}
