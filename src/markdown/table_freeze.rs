//! When a streaming table keeps its column widths. The browser lays out a table as a whole: each
//! layout sizes the cells of every row (Chromium: 20 to 46 ms at 3,000 rows, after every render),
//! so a long table streaming made long tasks however few rows each update added, and
//! `table-layout: fixed` did not change that (measured: the same time per layout). So while an
//! answer streams and its open table has placed `FREEZE_AFTER_BODIES` bodies, the page freezes
//! the columns at the widths they have then: every row becomes a grid of those widths and every
//! body a box of its own (`style/chat.css`, `.md-frozen`), and the browser lays out only the body
//! that grows (3.6 ms a frame at 3,000 rows, the same at 64). A cell wider than its column wraps.
//! When the stream ends, or the table is finished, it is thawed: a table again, laid out once,
//! its HTML exactly as rendered at once.

/// Bodies of rows (32 each) an open table has placed before its columns are frozen: by then
/// its columns have the widths of a typical row, and a layout of the whole still costs little.
pub const FREEZE_AFTER_BODIES: usize = 2;

/// The open block of a streamed answer when it is a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenTable {
    /// Which block of the answer it is (the number of blocks finished before it).
    pub block: usize,
    /// Bodies of rows placed for good.
    pub bodies: usize,
}

/// What the page does to its tables' layout after an update.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FreezeChange {
    /// Give the frozen table back its normal layout (first).
    pub thaw: bool,
    /// Freeze the columns of the open table (it is the open block's table element).
    pub freeze: bool,
}

/// Whether a table of the answer is frozen, and which.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TableFreeze {
    frozen: Option<usize>,
}

impl TableFreeze {
    /// After an update of the page: `streaming` whether the answer still streams, `open` the open
    /// block if it is a table.
    pub fn update(&mut self, streaming: bool, open: Option<OpenTable>) -> FreezeChange {
        let still = streaming && open.is_some_and(|table| Some(table.block) == self.frozen);
        let thaw = self.frozen.is_some() && !still;
        if thaw {
            self.frozen = None;
        }
        let freeze = streaming && self.frozen.is_none() && open.is_some_and(|table| table.bodies >= FREEZE_AFTER_BODIES);
        if freeze {
            self.frozen = open.map(|table| table.block);
        }
        FreezeChange { thaw, freeze }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::MarkdownStream;

    const NOTHING: FreezeChange = FreezeChange { thaw: false, freeze: false };
    const FREEZE: FreezeChange = FreezeChange { thaw: false, freeze: true };
    const THAW: FreezeChange = FreezeChange { thaw: true, freeze: false };

    fn table(block: usize, bodies: usize) -> Option<OpenTable> {
        Some(OpenTable { block, bodies })
    }

    #[test]
    fn a_streaming_table_freezes_once_long_enough_and_thaws_at_the_end() {
        let mut freeze = TableFreeze::default();
        assert_eq!(freeze.update(true, table(0, 0)), NOTHING);
        assert_eq!(freeze.update(true, table(0, FREEZE_AFTER_BODIES - 1)), NOTHING);
        assert_eq!(freeze.update(true, table(0, FREEZE_AFTER_BODIES)), FREEZE);
        assert_eq!(freeze.update(true, table(0, 90)), NOTHING, "frozen once");
        // The stream ends (finished, stopped or failed): a table again.
        assert_eq!(freeze.update(false, table(0, 91)), THAW);
        assert_eq!(freeze.update(false, table(0, 91)), NOTHING);
    }

    #[test]
    fn a_finished_table_thaws_and_the_next_one_freezes_on_its_own() {
        let mut freeze = TableFreeze::default();
        assert_eq!(freeze.update(true, table(3, 5)), FREEZE);
        // The table ended (a blank line): the open block is a paragraph.
        assert_eq!(freeze.update(true, None), THAW);
        // A long table finished and another one grew in the same update.
        assert_eq!(freeze.update(true, table(5, 2)), FREEZE);
        assert_eq!(freeze.update(true, table(7, 4)), FreezeChange { thaw: true, freeze: true });
    }

    #[test]
    fn text_shown_at_once_is_never_frozen() {
        let mut freeze = TableFreeze::default();
        assert_eq!(freeze.update(false, table(0, 100)), NOTHING);
    }

    #[test]
    fn the_stream_says_which_open_block_is_a_table_and_how_many_bodies_it_placed() {
        let mut stream = MarkdownStream::default();
        stream.push("Intro\n\n| a | b |\n|---|---|\n");
        assert_eq!(stream.open_table(), table(1, 0));
        for i in 0..70 {
            stream.push(&format!("| {i} | x |\n"));
        }
        assert_eq!(stream.open_table(), table(1, 2));
        stream.push("\nAfter the table");
        assert_eq!(stream.open_table(), None);
        // A block that looked like a table and is not one.
        let mut stream = MarkdownStream::default();
        stream.push("a | b\nno delimiter line\n");
        assert_eq!(stream.open_table(), None);
    }
}
