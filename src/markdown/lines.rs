//! What a markdown line starts, read from its first characters only (no parsing of the rest), so
//! the block splitter can decide where a block ends without parsing the whole block.

/// A line longer than this (bytes) is shown as plain text, alone in its block: parsing it as
/// markdown on every update of a stream would cost time proportional to its length.
pub const LONG_LINE: usize = 8 * 1024;

/// What a line begins, as far as sealing blocks is concerned.
#[derive(Clone, Debug, PartialEq)]
pub enum LineStart {
    /// Only whitespace.
    Blank,
    /// A list item marker: a bullet (`-`, `*`, `+`) or an ordered marker's delimiter (`.`, `)`),
    /// with the ordered number, if any.
    ListItem { marker: char, number: Option<u64>, empty: bool },
    /// An ATX heading (`# Title`).
    Heading,
    /// A block quote (`> text`).
    Quote,
    /// An opening code fence.
    Fence,
    /// Something that is neither ordinary paragraph text nor one of the above (HTML, a thematic
    /// break or setext underline, a table row, an indented line, ...).
    Other,
    /// Ordinary paragraph text.
    Plain,
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The list item marker at the start of `line` (after at most three spaces), if any.
fn list_item(line: &str) -> Option<LineStart> {
    let rest = &line[indent_of(line)..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let (marker, number, after) = if digits > 0 {
        let marker = rest[digits..].chars().next().filter(|c| *c == '.' || *c == ')')?;
        (marker, Some(rest[..digits].parse().ok().filter(|_| digits <= 9)?), &rest[digits + 1..])
    } else {
        let marker = rest.chars().next().filter(|c| matches!(c, '-' | '*' | '+'))?;
        (marker, None, &rest[1..])
    };
    if !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return None;
    }
    // "- - -" and "* * *" are thematic breaks, not items.
    if number.is_none() && is_thematic_break(line) {
        return None;
    }
    Some(LineStart::ListItem { marker, number, empty: after.trim().is_empty() })
}

/// A thematic break: three or more `-`, `*` or `_` (the same one), spaces allowed between.
fn is_thematic_break(line: &str) -> bool {
    let compact: Vec<char> = line.chars().filter(|c| !c.is_whitespace()).collect();
    compact.len() >= 3 && matches!(compact[0], '-' | '*' | '_') && compact.iter().all(|c| *c == compact[0])
}

/// Classifies one line (without its newline).
pub fn line_start(line: &str) -> LineStart {
    if line.trim().is_empty() {
        return LineStart::Blank;
    }
    let indent = indent_of(line);
    let rest = &line[indent..];
    if indent > 3 || rest.starts_with('\t') {
        return LineStart::Other;
    }
    if opening_fence(line).is_some() {
        return LineStart::Fence;
    }
    if let Some(item) = list_item(line) {
        return item;
    }
    if rest.starts_with('>') {
        return LineStart::Quote;
    }
    let hashes = rest.bytes().take_while(|b| *b == b'#').count();
    if (1..=6).contains(&hashes) && (rest.len() == hashes || rest[hashes..].starts_with([' ', '\t'])) {
        return LineStart::Heading;
    }
    match rest.chars().next() {
        Some(c) if c.is_alphanumeric() || matches!(c, '*' | '_' | '`' | '[' | '!' | '(' | '"' | '\'' | '$' | '\\') => {
            // Emphasis or code at the start is still text, unless the line is a thematic break;
            // a line with a pipe may be a table row.
            if is_thematic_break(line) || line.contains('|') {
                LineStart::Other
            } else {
                LineStart::Plain
            }
        }
        _ => LineStart::Other,
    }
}

/// The fence of a line that opens a fenced code block: 3+ backticks or tildes after at most three
/// spaces of indentation.
pub fn opening_fence(line: &str) -> Option<String> {
    let indent = indent_of(line);
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
pub fn is_closing_fence(line: &str, fence: &str) -> bool {
    let trimmed = line.trim();
    let marker = fence.chars().next().unwrap_or('`');
    trimmed.len() >= fence.len() && trimmed.chars().all(|c| c == marker) && indent_of(line) <= 3
}

/// Whether a line can start a new block right after a paragraph line, ending the paragraph
/// (CommonMark: an ordered list only from 1, an empty item never).
pub fn interrupts_paragraph(start: &LineStart) -> bool {
    match start {
        LineStart::ListItem { number, empty, .. } => !empty && number.is_none_or(|n| n == 1),
        LineStart::Heading | LineStart::Quote | LineStart::Fence => true,
        _ => false,
    }
}

/// The largest char boundary of `text` at or before `at`.
pub fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_classified_by_their_start() {
        assert_eq!(line_start("   "), LineStart::Blank);
        assert_eq!(line_start("- item"), LineStart::ListItem { marker: '-', number: None, empty: false });
        assert_eq!(line_start("12) item"), LineStart::ListItem { marker: ')', number: Some(12), empty: false });
        assert_eq!(line_start("- - -"), LineStart::Other);
        assert_eq!(line_start("-item"), LineStart::Other);
        assert_eq!(line_start("## Title"), LineStart::Heading);
        assert_eq!(line_start("#hashtag"), LineStart::Other);
        assert_eq!(line_start("> quoted"), LineStart::Quote);
        assert_eq!(line_start("```rust"), LineStart::Fence);
        assert_eq!(line_start("Some *text*"), LineStart::Plain);
        assert_eq!(line_start("a | b"), LineStart::Other);
        assert_eq!(line_start("<div>"), LineStart::Other);
        assert_eq!(line_start("    indented code"), LineStart::Other);
    }

    #[test]
    fn only_some_starts_interrupt_a_paragraph() {
        assert!(interrupts_paragraph(&line_start("- item")));
        assert!(interrupts_paragraph(&line_start("1. first")));
        assert!(!interrupts_paragraph(&line_start("2. second")));
        assert!(!interrupts_paragraph(&line_start("-")));
        assert!(interrupts_paragraph(&line_start("~~~")));
        assert!(!interrupts_paragraph(&line_start("---")));
    }
}
