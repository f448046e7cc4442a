//! Splits streamed markdown into blocks. A block is sealed (final) where what follows cannot
//! change it: at a blank line outside a fenced code block, before a code fence or a list, heading
//! or quote that ends a paragraph, after a closing fence, around a line too long to parse on every
//! update, and at a line end once a paragraph is very long. Everything after the last sealed block
//! is the open tail. Each delta is scanned once, so the work per delta does not grow with the
//! length of the message, and a whole text is split exactly as the same text streamed.
use super::lines::{interrupts_paragraph, is_closing_fence, line_start, opening_fence, LineStart, LONG_LINE};

/// A paragraph is cut at the first line end after this many bytes: rendering it again on every
/// update would cost time proportional to its length.
pub const LONG_PARAGRAPH: usize = 8 * 1024;

/// Streamed markdown, split into sealed blocks and an open tail.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BlockSplitter {
    sealed: Vec<String>,
    tail: String,
    /// Bytes of `tail` already scanned for complete lines.
    scanned: usize,
    /// Bytes of `tail` already searched for a line end (the unfinished line may be long).
    searched: usize,
    /// The fence that opened the code block we are inside (e.g. "```" or "~~~~"), if any.
    fence: Option<String>,
    /// The open fence is the tail's first line, unindented: its closing line ends the block.
    fence_starts_tail: bool,
    /// Every complete line of the tail so far is paragraph text.
    paragraph: bool,
    /// A line of the tail starts with '<': an HTML block may swallow what follows.
    html: bool,
    /// The tail starts with a list item or a table row: it is rendered item by item or row by
    /// row (see `tail.rs`), so it is not cut when long.
    grows_by_pieces: bool,
}

impl BlockSplitter {
    /// A splitter for a whole text (e.g. an answer loaded from storage).
    pub fn from_text(text: &str) -> Self {
        let mut splitter = BlockSplitter::default();
        splitter.push(text);
        splitter
    }

    /// Appends a delta; returns how many blocks it sealed.
    pub fn push(&mut self, delta: &str) -> usize {
        let before = self.sealed.len();
        self.tail.push_str(delta);
        loop {
            let from = self.searched.max(self.scanned);
            let Some(newline) = self.tail[from..].find('\n') else { break };
            self.line(self.scanned, from + newline);
            self.searched = self.scanned;
        }
        self.searched = self.tail.len();
        // An unfinished line that is already too long: it will be a block of its own.
        if self.fence.is_none() && self.tail.len() - self.scanned > LONG_LINE {
            self.seal_before(self.scanned);
        }
        self.sealed.len() - before
    }

    /// Reads the complete line `tail[start..end]` (its newline at `end`).
    fn line(&mut self, start: usize, end: usize) {
        self.scanned = end + 1;
        let line = &self.tail[start..end];
        if let Some(fence) = &self.fence {
            if is_closing_fence(line, fence) {
                self.fence = None;
                if self.fence_starts_tail {
                    self.seal_before(self.scanned);
                }
            }
            return;
        }
        if line.len() > LONG_LINE {
            self.seal_before(start);
            self.seal_before(self.scanned);
            return;
        }
        let kind = line_start(line);
        if kind == LineStart::Blank {
            self.seal_before(start);
            self.seal_before(self.scanned);
            return;
        }
        let unindented = !line.starts_with(' ');
        let html_start = line.trim_start().starts_with('<');
        let table_row = line.contains('|');
        if let Some(fence) = opening_fence(line) {
            let starts_tail = unindented && !self.html;
            if starts_tail {
                self.seal_before(start);
            }
            self.fence = Some(fence);
            self.fence_starts_tail = starts_tail;
            return;
        }
        let start = if start > 0 && self.paragraph && interrupts_paragraph(&kind) {
            self.seal_before(start);
            0
        } else {
            start
        };
        if start == 0 && unindented && kind == LineStart::Heading {
            // A heading is one line: what follows is another block.
            self.seal_before(self.scanned);
            return;
        }
        self.paragraph = kind == LineStart::Plain && (start == 0 || self.paragraph);
        self.html |= html_start;
        if start == 0 {
            self.grows_by_pieces = matches!(kind, LineStart::ListItem { .. }) || table_row;
        }
        // A long paragraph (or quote, or anything else rendered whole) is cut at a line end.
        if !self.grows_by_pieces && self.scanned > LONG_PARAGRAPH {
            self.seal_before(self.scanned);
        }
    }

    /// Seals `tail[..at]` (if it holds more than whitespace) and keeps the rest open.
    fn seal_before(&mut self, at: usize) {
        if at == 0 {
            return;
        }
        let block = self.tail[..at].trim_end_matches('\n');
        if !block.trim().is_empty() {
            self.sealed.push(block.to_owned());
        }
        self.tail.drain(..at);
        self.scanned -= at;
        self.searched = self.searched.saturating_sub(at);
        self.paragraph = false;
        self.html = false;
        self.grows_by_pieces = false;
        self.fence_starts_tail = false;
    }

    /// Blocks that will not change any more.
    pub fn sealed(&self) -> &[String] {
        &self.sealed
    }

    /// The unfinished last block.
    pub fn tail(&self) -> &str {
        &self.tail
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn streamed(text: &str, piece: usize) -> BlockSplitter {
        let mut splitter = BlockSplitter::default();
        let chars: Vec<char> = text.chars().collect();
        for chunk in chars.chunks(piece) {
            splitter.push(&chunk.iter().collect::<String>());
        }
        splitter
    }

    const ANSWER: &str =
        "# Title\n\nFirst paragraph\nstill first.\n\n- a\n- b\n\n```rust\nfn main() {\n\n    println!(\"hi\");\n}\n```\n\nLast words";

    #[test]
    fn blank_lines_seal_blocks_but_not_inside_code_fences() {
        let splitter = BlockSplitter::from_text(ANSWER);
        assert_eq!(
            splitter.sealed(),
            ["# Title", "First paragraph\nstill first.", "- a\n- b", "```rust\nfn main() {\n\n    println!(\"hi\");\n}\n```"]
        );
        assert_eq!(splitter.tail(), "Last words");
    }

    #[test]
    fn any_delta_size_gives_the_same_blocks() {
        let whole = BlockSplitter::from_text(ANSWER);
        for piece in [1, 2, 3, 7, 64] {
            let split = streamed(ANSWER, piece);
            assert_eq!(split.sealed(), whole.sealed(), "piece {piece}");
            assert_eq!(split.tail(), whole.tail(), "piece {piece}");
        }
    }

    #[test]
    fn an_unclosed_fence_keeps_everything_open() {
        let splitter = BlockSplitter::from_text("intro\n\n~~~~\ncode\n\nmore code\n~~~\nstill code\n");
        assert_eq!(splitter.sealed(), ["intro"]);
        assert!(splitter.tail().contains("still code"));
    }

    #[test]
    fn a_paragraph_ends_where_a_list_fence_heading_or_quote_starts() {
        let splitter = BlockSplitter::from_text("Steps:\n1. one\n2. two\nLazy\n```sh\nls\n```\n# Next\nText\n> quote\n2. not a list");
        assert_eq!(splitter.sealed(), ["Steps:", "1. one\n2. two\nLazy", "```sh\nls\n```", "# Next", "Text"]);
        assert_eq!(splitter.tail(), "> quote\n2. not a list");
        // Inside an HTML block a fence is text: nothing is sealed.
        assert!(BlockSplitter::from_text("<div>\n```\nx\n```\n").sealed().is_empty());
    }

    #[test]
    fn long_lines_stand_alone_and_long_paragraphs_are_cut() {
        let long = "x".repeat(LONG_LINE + 1);
        let splitter = BlockSplitter::from_text(&format!("Intro\n{long}\nAfter"));
        assert_eq!(splitter.sealed(), ["Intro", long.as_str()]);
        assert_eq!(splitter.tail(), "After");
        let mut streamed = BlockSplitter::default();
        streamed.push("Intro\n");
        streamed.push(&long);
        assert_eq!(streamed.sealed(), ["Intro"], "sealed as soon as the line is known to be long");
        assert_eq!(streamed.tail(), long);
        let paragraph = "a line of text\n".repeat(LONG_PARAGRAPH / 5);
        let splitter = BlockSplitter::from_text(&paragraph);
        assert!(splitter.sealed().len() >= 2 && splitter.sealed().iter().all(|block| block.len() <= LONG_PARAGRAPH + 16));
        // Lists and tables grow item by item instead: never cut.
        let list = "- item\n".repeat(LONG_PARAGRAPH / 4);
        assert_eq!(BlockSplitter::from_text(&list).tail(), list);
    }

    #[test]
    fn the_work_per_delta_stays_bounded_by_the_tail() {
        let mut splitter = BlockSplitter::default();
        for index in 0..2_000 {
            splitter.push(&format!("paragraph {index}\n\n"));
            assert!(splitter.tail().len() < 32);
        }
        assert_eq!(splitter.sealed().len(), 2_000);
    }
}
