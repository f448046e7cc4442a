//! The open block of a streamed answer, rendered so that an update costs time bounded by what
//! changed, not by the size of the block. A fenced code block grows by chunks of 32 lines and a
//! table by bodies of 32 rows (each also the browser's unit of layout), a list by items, a quote
//! by paragraphs and a long line by slices: each finished piece is rendered once and placed for good inside the block's
//! container element; only the last, unfinished piece (at most 32 lines of code) is rendered again.
//! Anything else is rendered whole (the block splitter keeps those short). At every update the
//! HTML the page holds is exactly `render_block` of the text so far (see `stream_tests.rs`).
use super::{
    lines::{floor_char_boundary, is_closing_fence, line_start, opening_fence, LineStart},
    pieces::only_elements,
    render::{
        code_block_open, code_chunk_html, fence_language, is_long_line, long_line_slice_html, render_block, CODE_BLOCK_CLOSE,
        CODE_CHUNK_LINES, LONG_LINE_CLOSE, LONG_LINE_OPEN, LONG_LINE_SLICE, TABLE_CHUNK_ROWS,
    },
};

/// A table's end when it has no rows yet, and after its last body.
const TABLE_EMPTY_BODY: &str = "<tbody>\n</tbody></table>\n";
const TABLE_CLOSE: &str = "</table>\n";
/// A block quote's frame.
const QUOTE_OPEN: &str = "<blockquote>\n";
const QUOTE_CLOSE: &str = "</blockquote>\n";

/// How the page's copy of the open block changes.
#[derive(Clone, Debug, PartialEq)]
pub enum TailPatch {
    /// Set the block's HTML to `open` + `close`, then put `last` at the end of its container
    /// (the element matched by `container`; none when nothing will grow) and `after` at the end
    /// of the block.
    Replace { open: String, last: String, close: String, after: String, container: Option<&'static str> },
    /// Remove the nodes the previous `last` (in the container) and `after` made, append
    /// `finished` (kept from now on) and the new `last` to the container, then `after` to the block.
    Extend { finished: String, last: String, after: String },
}

#[derive(Clone, Debug, PartialEq)]
enum Shape {
    /// Rendered whole on every update.
    Whole,
    /// A fenced code block that opens the block; grows by lines.
    Code { language: String, fence: String },
    /// A list whose items start unindented with `marker`; grows by items.
    List { marker: char },
    /// A table; grows by rows. `head` bytes of text are its header and delimiter lines.
    Table { head: usize },
    /// One line too long to parse as markdown; grows by slices of plain text.
    LongLine,
    /// A block quote; grows by paragraphs (pieces end after a line holding only `>`).
    Quote,
}

impl Shape {
    fn container(&self) -> Option<&'static str> {
        match self {
            Shape::Whole => None,
            Shape::Code { .. } => Some("pre > code"),
            Shape::List { .. } => Some(":scope > ul, :scope > ol"),
            Shape::Table { .. } => Some(":scope > table"),
            Shape::LongLine => Some(":scope > p"),
            Shape::Quote => Some(":scope > blockquote"),
        }
    }
}

/// The open block's text and the HTML the page holds for it.
#[derive(Clone, Debug)]
pub struct TailRenderer {
    text: String,
    shape: Shape,
    /// Whether the shape is settled (a block that starts as a paragraph stays one).
    settled: bool,
    /// Bytes of `text` whose pieces are placed for good.
    done: usize,
    /// Bytes of `text` read for piece boundaries (lists: complete lines).
    scanned: usize,
    /// Pieces placed for good since the shape settled (a table's: bodies of rows).
    placed: usize,
    open: String,
    finished: String,
    last: String,
    close: String,
    /// What the unfinished last line shows when it ends the container (a table row that turns
    /// out to be a paragraph, a heading after a list): it follows the container.
    after: String,
    /// The page's copy must be replaced whole at the next update (the shape changed).
    replace: bool,
}

impl Default for TailRenderer {
    fn default() -> Self {
        TailRenderer {
            text: String::new(),
            shape: Shape::Whole,
            settled: false,
            done: 0,
            scanned: 0,
            placed: 0,
            open: String::new(),
            finished: String::new(),
            last: String::new(),
            close: String::new(),
            after: String::new(),
            replace: true,
        }
    }
}

impl TailRenderer {
    /// The text rendered so far.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The bodies (of `TABLE_CHUNK_ROWS` rows) placed for good, when the block is a table.
    pub fn table_bodies(&self) -> Option<usize> {
        matches!(self.shape, Shape::Table { .. }).then_some(self.placed)
    }

    /// The HTML the page holds after the last patch.
    #[cfg(test)]
    pub fn html(&self) -> String {
        format!("{}{}{}{}{}", self.open, self.finished, self.last, self.close, self.after)
    }

    /// Brings the block to its final text `block` (sealed: nothing follows in it). A block that
    /// grows by pieces gets the rest of its text and the newline that ended its last line (its
    /// HTML is the same with or without it); any other block is rendered once more, exactly.
    pub fn finish(&mut self, block: &str) -> TailPatch {
        let rest = block.strip_prefix(self.text.as_str()).map(|rest| format!("{rest}\n"));
        match rest {
            Some(rest) if self.shape != Shape::Whole || !self.settled => {
                let patch = self.push(&rest);
                if self.shape != Shape::Whole {
                    return patch;
                }
            }
            _ => {}
        }
        self.text = block.to_owned();
        self.whole()
    }

    /// Appends `delta` to the block; returns how the page's copy changes.
    pub fn push(&mut self, delta: &str) -> TailPatch {
        self.text.push_str(delta);
        if !self.settled {
            self.settle();
        }
        if self.shape == Shape::Whole {
            return self.whole();
        }
        match self.grow() {
            Some(finished) if !self.replace => TailPatch::Extend { finished, last: self.last.clone(), after: self.after.clone() },
            Some(_) => {
                self.replace = false;
                TailPatch::Replace {
                    open: format!("{}{}", self.open, self.finished),
                    last: self.last.clone(),
                    close: self.close.clone(),
                    after: self.after.clone(),
                    container: self.shape.container(),
                }
            }
            // A piece did not render as the shape expects: the block is something else.
            None => {
                self.shape = Shape::Whole;
                self.settled = true;
                self.whole()
            }
        }
    }

    fn whole(&mut self) -> TailPatch {
        self.open = render_block(&self.text);
        self.finished.clear();
        self.last.clear();
        self.close.clear();
        self.after.clear();
        self.replace = true;
        TailPatch::Replace { open: self.open.clone(), last: String::new(), close: String::new(), after: String::new(), container: None }
    }

    /// Recognises the block's shape from its first lines.
    fn settle(&mut self) {
        let frame = |open: &str, close: &str| (open.to_owned(), close.to_owned());
        let (shape, done, (open, close)) = if is_long_line(&self.text) {
            (Shape::LongLine, 0, frame(LONG_LINE_OPEN, LONG_LINE_CLOSE))
        } else {
            let Some(first_end) = self.text.find('\n') else { return };
            let first = &self.text[..first_end];
            let unindented = !first.starts_with(' ');
            match (line_start(first), opening_fence(first)) {
                (LineStart::Fence, Some(fence)) if unindented => {
                    self.settled = true;
                    let Some(language) = fence_language(first) else { return };
                    let open = code_block_open(&language);
                    (Shape::Code { language, fence }, first_end + 1, (open, CODE_BLOCK_CLOSE.to_owned()))
                }
                (LineStart::ListItem { marker, .. }, _) if unindented => {
                    self.settled = true;
                    let html = render_block(first);
                    let Some(open_end) = html.find('\n').filter(|_| html.starts_with("<ul>") || html.starts_with("<ol")) else { return };
                    let close = if html.starts_with("<ul>") { "</ul>\n" } else { "</ol>\n" };
                    (Shape::List { marker }, 0, frame(&html[..=open_end], close))
                }
                (LineStart::Quote, _) if unindented => {
                    self.settled = true;
                    if !render_block(first).starts_with(QUOTE_OPEN) {
                        return;
                    }
                    (Shape::Quote, 0, frame(QUOTE_OPEN, QUOTE_CLOSE))
                }
                (LineStart::Other, _) if first.contains('|') => {
                    let Some(second) = self.text[first_end + 1..].find('\n') else { return };
                    self.settled = true;
                    let head = first_end + 1 + second + 1;
                    let html = render_block(&self.text[..head]);
                    // The table's bodies (sections of rows) are its pieces.
                    let Some(open) = html.strip_suffix(TABLE_EMPTY_BODY).filter(|_| html.starts_with("<table")) else { return };
                    (Shape::Table { head }, head, frame(open, TABLE_CLOSE))
                }
                _ => {
                    self.settled = true;
                    return;
                }
            }
        };
        self.settled = true;
        self.shape = shape;
        self.done = done;
        self.scanned = done;
        self.placed = 0;
        self.open = open;
        self.close = close;
        self.finished.clear();
        self.last.clear();
        self.after.clear();
        self.replace = true;
    }

    /// Places the pieces finished since the last update and renders the last one; returns the
    /// newly finished HTML, or None when a piece does not fit the shape.
    fn grow(&mut self) -> Option<String> {
        let mut finished = String::new();
        while let Some(end) = self.next_piece_end() {
            let piece = self.piece(self.done, end)?;
            finished.push_str(&piece);
            self.done = end;
            self.placed += 1;
        }
        (self.last, self.after) = match self.piece(self.done, self.text.len()) {
            Some(last) => (last, String::new()),
            // The unfinished line does not continue the container: it ends it (for now), and
            // shows after it as it would alone. (In a quote, it may be a list or code inside.)
            None if self.shape != Shape::Quote => {
                let line_start = self.text[self.done..].rfind('\n').map_or(self.done, |at| self.done + at + 1);
                (line_start < self.text.len()).then_some(())?;
                (self.piece(self.done, line_start)?, render_block(&self.text[line_start..]))
            }
            None => return None,
        };
        self.finished.push_str(&finished);
        Some(finished)
    }

    /// Where the next finished piece ends, if one is finished.
    fn next_piece_end(&mut self) -> Option<usize> {
        match &self.shape {
            Shape::Whole => None,
            // A chunk of code lines, or a table body's rows, is finished with its last line.
            Shape::Table { .. } => self.lines_end(TABLE_CHUNK_ROWS),
            Shape::Code { .. } => self.lines_end(CODE_CHUNK_LINES),
            Shape::LongLine => {
                (self.text.len() - self.done > LONG_LINE_SLICE).then(|| floor_char_boundary(&self.text, self.done + LONG_LINE_SLICE))
            }
            Shape::Quote => {
                // A paragraph of a quote is finished by a line holding only `>` (what follows
                // cannot change it; a piece that is not paragraphs is refused in `piece`).
                while let Some(at) = self.text[self.scanned..].find('\n') {
                    let (start, end) = (self.scanned, self.scanned + at);
                    self.scanned = end + 1;
                    let line = self.text[start..end].trim_start_matches(' ');
                    if start > self.done && line.strip_prefix('>').is_some_and(|rest| rest.trim().is_empty()) {
                        return Some(self.scanned);
                    }
                }
                None
            }
            Shape::List { marker } => {
                let marker = *marker;
                // A finished item: the next complete line starts an unindented item with the same marker.
                while let Some(at) = self.text[self.scanned..].find('\n') {
                    let (start, end) = (self.scanned, self.scanned + at);
                    self.scanned = end + 1;
                    let line = &self.text[start..end];
                    let item = matches!(line_start(line), LineStart::ListItem { marker: m, .. } if m == marker);
                    if start > self.done && item && !line.starts_with(' ') {
                        self.scanned = start;
                        return Some(start);
                    }
                }
                None
            }
        }
    }

    /// The end of the next `lines` complete lines after the placed pieces, if they are complete.
    fn lines_end(&self, lines: usize) -> Option<usize> {
        let mut end = self.done;
        for _ in 0..lines {
            end += self.text[end..].find('\n')? + 1;
        }
        Some(end)
    }

    /// The HTML of `text[start..end]` as a piece inside the container, or None if it does not
    /// render as one.
    fn piece(&mut self, start: usize, end: usize) -> Option<String> {
        let text = &self.text[start..end];
        let mut html = String::new();
        match &mut self.shape {
            Shape::Whole => return None,
            Shape::Code { language, fence } => {
                let mut lines = Vec::new();
                let mut closed = false;
                for text_line in text.split_inclusive('\n') {
                    let line = text_line.strip_suffix('\n').unwrap_or(text_line);
                    if closed {
                        // Nothing may follow the closing line in this block.
                        return None;
                    } else if !text_line.ends_with('\n') && line.len() <= 3 && line.bytes().all(|b| b == b' ') {
                        // An unfinished last line of up to three spaces may still become the
                        // closing fence: pulldown-cmark shows nothing for it yet.
                    } else if is_closing_fence(line, fence) {
                        // The closing line shows nothing.
                        closed = text_line.ends_with('\n');
                    } else {
                        lines.push(text_line);
                    }
                }
                code_chunk_html(language, &lines, &mut html);
            }
            Shape::LongLine => {
                long_line_slice_html(text.trim_end_matches('\n'), &mut html);
            }
            Shape::List { .. } => {
                if text.is_empty() {
                    return Some(html);
                }
                // An item alone renders as a list of its own: keep its items.
                let rendered = render_block(text);
                let list = rendered.strip_suffix(self.close.as_str()).filter(|list| list.starts_with(&self.open[..3]))?;
                let inner = &list[list.find('\n')? + 1..];
                only_elements(inner, "li").then_some(())?;
                html.push_str(inner);
            }
            Shape::Quote => {
                if text.is_empty() {
                    return Some(html);
                }
                let rendered = render_block(text);
                let inner = rendered.strip_prefix(QUOTE_OPEN)?.strip_suffix(QUOTE_CLOSE)?;
                only_elements(inner, "p").then_some(())?;
                html.push_str(inner);
            }
            Shape::Table { head } => {
                // A table without rows shows an empty body; a later body starts with a row.
                if text.is_empty() && start > *head {
                    return Some(html);
                }
                let rendered = render_block(&format!("{}{text}", &self.text[..*head]));
                let body = rendered.strip_prefix(self.open.as_str())?.strip_suffix(self.close.as_str())?;
                let rows = body.strip_prefix("<tbody>\n")?.strip_suffix("</tbody>")?;
                only_elements(rows, "tr").then_some(())?;
                html.push_str(body);
            }
        }
        Some(html)
    }
}
