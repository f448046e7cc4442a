//! Incremental rendering equals rendering the finished text at once: many generated answers,
//! streamed in deltas cut at many points (inside fences, inline code, links, table rows, list
//! items and multi-byte characters), give at every step exactly the blocks the page shows for
//! the same text loaded whole; and sealing blocks early does not change what pulldown-cmark
//! renders for ordinary answers.
use std::time::{Duration, Instant};

use super::{
    lines::LONG_LINE,
    render::render_block,
    render::CODE_CHUNK_LINES,
    stream::{MarkdownStream, Patch},
    tail::{TailPatch, TailRenderer},
    BlockSplitter,
};

/// The page's copy of an answer, changed only by patches (as `MarkdownView` changes the DOM).
#[derive(Default)]
struct Page {
    blocks: Vec<String>,
    tail: String,
    /// Where the open block's last piece starts, and its length; the length of what follows it.
    last_at: usize,
    last_len: usize,
    after_len: usize,
}

impl Page {
    fn apply(&mut self, patches: Vec<Patch>) {
        for patch in patches {
            match patch {
                Patch::Sealed(html) => self.blocks.push(html),
                Patch::Keep => {
                    self.blocks.push(std::mem::take(&mut self.tail));
                    (self.last_at, self.last_len, self.after_len) = (0, 0, 0);
                }
                Patch::Tail(TailPatch::Replace { open, last, close, after, .. }) => {
                    self.tail = format!("{open}{last}{close}{after}");
                    (self.last_at, self.last_len, self.after_len) = (open.len(), last.len(), after.len());
                }
                Patch::Tail(TailPatch::Extend { finished, last, after }) => {
                    self.tail.truncate(self.tail.len() - self.after_len);
                    self.tail.replace_range(self.last_at..self.last_at + self.last_len, &format!("{finished}{last}"));
                    self.tail.push_str(&after);
                    self.last_at += finished.len();
                    self.last_len = last.len();
                    self.after_len = after.len();
                }
            }
        }
    }

    /// Blocks as the page shows them (an empty open block shows nothing).
    fn shown(&self) -> Vec<String> {
        let mut shown = self.blocks.clone();
        shown.push(self.tail.clone());
        shown.retain(|block| !block.is_empty());
        shown
    }
}

/// What the page shows for a whole text: its sealed blocks and its tail, each rendered at once.
fn rendered_whole(text: &str) -> Vec<String> {
    let splitter = BlockSplitter::from_text(text);
    let mut shown: Vec<String> = splitter.sealed().iter().map(|block| render_block(block)).collect();
    shown.push(render_block(splitter.tail()));
    shown.retain(|block| !block.is_empty());
    shown
}

/// A small deterministic generator (xorshift), so failures are reproducible.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const INLINE: &[&str] = &[
    "plain words",
    "`inline code` and `a | pipe`",
    "[a link](https://x.ai/docs?a=1&b=2 \"title\")",
    "[bad](javascript:alert(1))",
    "**bold** and *emphasis* and ~~gone~~",
    "café, naïve, 日本語, 🦀 crab",
    "<b onmouseover=x>raw</b> &amp; &lt;",
    "a \\*escaped\\* star",
    "![img](https://x.ai/a.png)",
    "an <https://auto.link> here",
];

const BLOCKS: &[&str] = &[
    "## Heading {i}",
    "A paragraph with {i}\nthat goes on {i}.",
    "```rust\nfn main() {\n    let s = \"{i} <tag>\"; // note\n\n    /* block\n       comment */ println!(\"{s}\");\n}\n```",
    "~~~python\nprint('{i}')\n\n# comment\n~~~",
    "```\nunlabelled {i}\n``` not closing\nstill code\n```",
    "- item {i}\n- item with `code`\n  - nested {i}\n  - nested two\n- last {i}",
    "1. first {i}\n2. second\n3. third with [link](https://x.ai)",
    "- [ ] task {i}\n- [x] done",
    "| name | value |\n|:-----|------:|\n| a | {i} |\n| `b|c` | **d** |\n| 日本 | 🦀 |",
    "a | b\n--- | ---\n1 | 2\n3 | {i}",
    "> quoted {i}\n> more\n>\n> second paragraph",
    "---",
    "Intro line {i}:\n- then a list\n- right away",
    "Before the code {i}:\n```js\nconst x = `tpl ${y}`;\n```\nAfter the code.",
    "<div>\nhtml block {i}\n</div>",
    "    indented code {i}\n    more",
    "Term {i}\n===",
    "- a {i}\n```\nfence after a list\n```",
    "* star item {i}\n+ plus item\n- dash item",
    "- item {i}\n---\nafter the rule",
    "> first {i}\n>\n> - a list\n> - in a quote\n>\n> ```\n> code\n>\n> ```\n>\n> last",
    "> one {i}\n>\n>\n> two\nlazy\n>\nafter the quote",
    "> > nested {i}\n> >\n> > deeper\n>\n> # heading\n>\n> end",
];

fn answer(random: &mut Random, blocks: usize) -> String {
    let mut text = String::new();
    for index in 0..blocks {
        let block = random.pick(BLOCKS);
        let inline = random.pick(INLINE);
        let block = block.replace("{i}", &format!("{index} {inline}"));
        text.push_str(&block);
        text.push_str(random.pick(&["\n\n", "\n\n", "\n", "\n\n\n"]));
    }
    if random.below(2) == 0 {
        text.truncate(text.trim_end().len());
    }
    text
}

/// Streams `text` in deltas of 1..=max bytes (cut at character boundaries), checking the page
/// against the whole rendering of the text so far after every delta if `every_step`.
fn stream_and_compare(text: &str, random: &mut Random, max: usize, every_step: bool) {
    let mut stream = MarkdownStream::default();
    let mut page = Page::default();
    let mut at = 0;
    while at < text.len() {
        let mut end = (at + 1 + random.below(max)).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        page.apply(stream.push(&text[at..end]));
        at = end;
        if every_step || at == text.len() {
            assert_eq!(page.shown(), rendered_whole(&text[..at]), "after {at} bytes of {text:?}");
        }
    }
}

#[test]
fn streamed_answers_render_exactly_as_the_whole_text_at_every_step() {
    let mut random = Random(0x5eed_1234_abcd_0001);
    for round in 0..300 {
        let text = answer(&mut random, 1 + round % 7);
        let max = [1, 2, 3, 5, 8, 13, 40][round % 7];
        stream_and_compare(&text, &mut random, max, true);
    }
}

#[test]
fn every_split_point_of_a_small_answer_gives_the_same_page() {
    let text = "Intro `co|de` [li](https://x.ai) é🦀:\n```rust\nlet a = 1;\n```\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- x\n- y";
    for split in 0..=text.len() {
        if !text.is_char_boundary(split) {
            continue;
        }
        let mut stream = MarkdownStream::default();
        let mut page = Page::default();
        page.apply(stream.push(&text[..split]));
        page.apply(stream.push(&text[split..]));
        assert_eq!(page.shown(), rendered_whole(text), "split at {split}");
    }
}

#[test]
fn sealing_early_does_not_change_ordinary_answers() {
    // Blocks whose rendering does not depend on their neighbours (no loose lists, no link
    // definitions): the page equals pulldown-cmark on the whole text.
    let texts = [
        "Intro:\n- a\n- b\n\nText\n```rust\nfn x() {}\n```\nAfter\n\n| a |\n|---|\n| 1 |",
        "# Title\nParagraph\n> quote\n\n1. one\n2. two\n```\ncode\n\nmore\n```\n- list after fence",
        "Para `code` and [link](https://x.ai)\n~~~\nx\n~~~\n\n- [ ] task\n- [x] done\n\nEnd é 🦀",
    ];
    for text in texts {
        let mut stream = MarkdownStream::default();
        let mut page = Page::default();
        page.apply(stream.push(text));
        assert_eq!(page.shown().concat(), render_block(text), "{text}");
    }
}

#[test]
fn a_long_line_is_plain_text_streamed_or_whole() {
    let line = "<b onmouseover=\"x\">é</b> ".repeat(LONG_LINE / 10);
    let text = format!("Intro\n{line}\nAfter **bold**");
    let mut random = Random(7);
    stream_and_compare(&text, &mut random, 300, false);
    let shown = rendered_whole(&text);
    assert_eq!(shown.len(), 3, "the long line is a block of its own");
    assert!(shown[1].starts_with("<p class=\"long-line\"><span>&lt;b onmouseover"));
    assert!(shown[2].contains("<strong>bold</strong>"));
}

#[test]
fn long_tables_lists_and_quotes_stream_exactly() {
    let rows = (0..100).map(|i| format!("| {i} | `c|d` é |\n")).collect::<String>();
    let quote = (0..40).map(|i| format!("> paragraph {i} with *emphasis*\n> and a second line\n>\n")).collect::<String>();
    let items = (0..80).map(|i| format!("{}. item {i}\n", i + 1)).collect::<String>();
    let texts = [
        format!("| a | b |\n|---|:-:|\n{rows}"),
        format!("| a | b |\n|---|---|\n{rows}after the table\n\nmore"),
        format!("| a | b |\n|---|---|\n{}", (0..64).map(|i| format!("| {i} | x |\n")).collect::<String>()),
        format!("{quote}> the end"),
        format!("{quote}a lazy line\n\nText"),
        format!("{items}\nText"),
    ];
    let mut random = Random(11);
    for text in &texts {
        for max in [1, 7, 40] {
            stream_and_compare(text, &mut random, max, true);
        }
    }
    let table = render_block(&texts[0]);
    assert_eq!(table.matches("<tbody>").count(), 4, "100 rows in bodies of 32: {table}");
    assert!(table.contains("</tr>\n</tbody><tbody>\n<tr>"));
    assert_eq!(render_block(&texts[2]).matches("<tbody>").count(), 2, "no empty body after the last row");
}

#[test]
fn a_code_block_grows_by_chunks_of_lines() {
    let mut tail = TailRenderer::default();
    assert!(matches!(tail.push("```rust\nfn main"), TailPatch::Replace { container: Some("pre > code"), .. }));
    match tail.push("() {}\nlet") {
        TailPatch::Extend { finished, last, .. } => {
            assert_eq!(finished, "");
            assert_eq!(
                last,
                "<span class=\"code-lines\"><span class=\"hl-kw\">fn</span> main() {}\n<span class=\"hl-kw\">let</span></span>"
            );
        }
        other => panic!("{other:?}"),
    }
    match tail.push(&" x = 1;\n".repeat(CODE_CHUNK_LINES)) {
        TailPatch::Extend { finished, last, .. } => {
            assert_eq!(finished.matches("\n").count(), CODE_CHUNK_LINES, "one chunk placed for good: {finished}");
            assert_eq!(last, "<span class=\"code-lines\"> x = <span class=\"hl-num\">1</span>;\n</span>");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(tail.html(), render_block(tail.text()));
}

#[test]
fn tables_grow_by_bodies_and_quotes_by_paragraphs() {
    let mut stream = MarkdownStream::default();
    stream.push("| a | b |\n|---|---|\n");
    for row in 0..40 {
        let patches = stream.push(&format!("| {row} | x |\n"));
        match &patches[..] {
            [Patch::Tail(TailPatch::Extend { finished, last, .. })] if row == 31 => {
                assert!(finished.starts_with("<tbody>\n<tr>") && finished.ends_with("</tr>\n</tbody>") && last.is_empty(), "{finished}");
            }
            [Patch::Tail(TailPatch::Extend { finished, last, .. })] => {
                assert!(finished.is_empty() && last.starts_with("<tbody>\n") && last.ends_with("</tbody>"), "{last}");
            }
            other => panic!("row {row}: {other:?}"),
        }
    }
    let mut stream = MarkdownStream::default();
    stream.push("> first\n");
    match &stream.push("> more\n>\n> second")[..] {
        [Patch::Tail(TailPatch::Extend { finished, last, .. })] => {
            assert_eq!(finished, "<p>first\nmore</p>\n");
            assert_eq!(last, "<p>second</p>\n");
        }
        other => panic!("{other:?}"),
    }
}

/// Streams `text` in `delta`-byte deltas; returns the median time of a delta among an eighth of
/// the deltas a quarter into the text and among the last eighth (medians, so that the machine's
/// other work does not count).
fn early_and_late_delta(text: &str, delta: usize) -> (Duration, Duration) {
    let mut stream = MarkdownStream::default();
    let mut page = Page::default();
    let mut times = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let mut end = (at + delta).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let started = Instant::now();
        let patches = stream.push(&text[at..end]);
        times.push(started.elapsed());
        page.apply(patches);
        at = end;
    }
    assert_eq!(page.shown(), rendered_whole(text));
    let median = |slice: &[Duration]| {
        let mut sorted = slice.to_vec();
        sorted.sort();
        sorted[sorted.len() / 2]
    };
    let (quarter, eighth) = (times.len() / 4, times.len() / 8);
    (median(&times[quarter..quarter + eighth]), median(&times[times.len() - eighth..]))
}

#[test]
fn hostile_shapes_cost_bounded_work_per_delta() {
    let code = format!("```rust\n{}```", "let value = compute(\"text\", 42); // why\n".repeat(1_500));
    let list = (0..2_000).map(|i| format!("- item {i} with `code` and **bold**\n")).collect::<String>();
    let table = format!("| a | b |\n|---|---|\n{}", (0..2_000).map(|i| format!("| {i} | `x` |\n")).collect::<String>());
    // A quote is cut after 8 KiB like a paragraph; within that it grows by paragraphs.
    let quote = (0..3_000).map(|i| format!("> sentence {i} *goes* on\n>\n")).collect::<String>();
    let paragraph = (0..3_000).map(|i| format!("sentence {i} *goes* on\n")).collect::<String>();
    let megabyte_line = "<b onmouseover=\"window.__xss=1\">x</b>".repeat(28_000);
    for (name, text, delta) in [
        ("code", &code, 4),
        ("list", &list, 4),
        ("table", &table, 4),
        ("paragraph", &paragraph, 4),
        ("quote", &quote, 4),
        ("line", &megabyte_line, 64),
    ] {
        let (early, late) = early_and_late_delta(text, delta);
        // Rendering the whole open block again on every delta would make the last deltas four
        // times slower than those a quarter in.
        assert!(late <= early * 2 + Duration::from_micros(50), "{name}: quarter {early:?}, last {late:?}");
    }
}
