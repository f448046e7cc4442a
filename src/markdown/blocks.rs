//! Splits streamed markdown into blocks. A block is sealed (final) when a blank line follows it
//! outside a fenced code block; everything after the last sealed block is the open tail. Each
//! delta is scanned once, so the work per delta does not grow with the length of the message.

/// Streamed markdown, split into sealed blocks and an open tail.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BlockSplitter {
    sealed: Vec<String>,
    tail: String,
    /// Bytes of `tail` already scanned for complete lines.
    scanned: usize,
    /// The fence that opened the code block we are inside (e.g. "```" or "~~~~"), if any.
    fence: Option<String>,
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
        while let Some(newline) = self.tail[self.scanned..].find('\n') {
            let line_start = self.scanned;
            let line_end = line_start + newline;
            self.scanned = line_end + 1;
            let line = &self.tail[line_start..line_end];
            if let Some(fence) = &self.fence {
                if is_closing_fence(line, fence) {
                    self.fence = None;
                }
                continue;
            }
            if let Some(fence) = opening_fence(line) {
                self.fence = Some(fence);
                continue;
            }
            if line.trim().is_empty() {
                let block = self.tail[..line_start].trim_end_matches('\n');
                if !block.trim().is_empty() {
                    self.sealed.push(block.to_owned());
                }
                self.tail.drain(..self.scanned);
                self.scanned = 0;
            }
        }
        self.sealed.len() - before
    }

    /// Blocks that will not change any more.
    pub fn sealed(&self) -> &[String] {
        &self.sealed
    }

    /// The unfinished last block.
    pub fn tail(&self) -> &str {
        &self.tail
    }

    /// The whole text as received, blocks joined by blank lines.
    pub fn text(&self) -> String {
        let mut parts: Vec<&str> = self.sealed.iter().map(String::as_str).collect();
        if !self.tail.is_empty() {
            parts.push(&self.tail);
        }
        parts.join("\n\n")
    }
}

/// The fence of a line that opens a fenced code block: 3+ backticks or tildes after at most three
/// spaces of indentation.
fn opening_fence(line: &str) -> Option<String> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let marker = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let count = rest.chars().take_while(|c| *c == marker).count();
    // A backtick fence's info string may not contain backticks (CommonMark).
    let info_ok = marker == '~' || !rest[count..].contains('`');
    (count >= 3 && info_ok).then(|| marker.to_string().repeat(count))
}

/// Whether a line closes the open fence: the same character, at least as many, nothing after.
fn is_closing_fence(line: &str, fence: &str) -> bool {
    let trimmed = line.trim();
    let marker = fence.chars().next().unwrap_or('`');
    trimmed.len() >= fence.len() && trimmed.chars().all(|c| c == marker) && line.len() - line.trim_start().len() <= 3
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

    const ANSWER: &str = "# Title\n\nFirst paragraph\nstill first.\n\n- a\n- b\n\n```rust\nfn main() {\n\n    println!(\"hi\");\n}\n```\n\nLast words";

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
        assert_eq!(whole.text(), ANSWER);
    }

    #[test]
    fn an_unclosed_fence_keeps_everything_open() {
        let splitter = BlockSplitter::from_text("intro\n\n~~~~\ncode\n\nmore code\n~~~\nstill code\n");
        assert_eq!(splitter.sealed(), ["intro"]);
        assert!(splitter.tail().contains("still code"));
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
