//! Renders one markdown block to HTML that is safe to insert: raw HTML from the model is shown
//! as text, links keep only http(s)/mailto/relative targets and open in a new tab without an
//! opener, images become links (no request leaves the page for a model-chosen URL), and fenced
//! code gets a language label, highlighting and a copy button.
use pulldown_cmark::{html, CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html, escape_html_body_text};

use super::{
    highlight::highlight,
    lines::{floor_char_boundary, LONG_LINE},
};

/// Closes a code block opened by `code_block_open`.
pub const CODE_BLOCK_CLOSE: &str = "</code></pre></div>\n";

/// The URL if it is safe to follow, else None: http, https, mailto, or a relative URL.
/// Browsers ignore ASCII whitespace and control characters inside a scheme
/// ("java\tscript:"), so those are removed before the scheme is read.
pub fn safe_url(url: &str) -> Option<&str> {
    let compact: String = url.chars().filter(|c| !c.is_ascii_whitespace() && !c.is_control()).collect();
    let scheme_end = compact.find(':');
    let before_path = compact.find(['/', '?', '#']);
    let has_scheme = match (scheme_end, before_path) {
        (Some(colon), Some(path)) => colon < path,
        (Some(_), None) => true,
        (None, _) => false,
    };
    if !has_scheme {
        return Some(url);
    }
    let scheme = compact[..scheme_end.unwrap_or(0)].to_ascii_lowercase();
    matches!(scheme.as_str(), "http" | "https" | "mailto").then_some(url)
}

fn escaped_attr(value: &str) -> String {
    let mut out = String::new();
    let _ = escape_html(&mut out, value);
    out
}

fn link_open(url: &str, title: &str) -> String {
    let mut href = String::new();
    let _ = escape_href(&mut href, url);
    let title = if title.is_empty() { String::new() } else { format!(" title=\"{}\"", escaped_attr(title)) };
    // escape_href already escapes for the attribute (&, quotes, angle brackets).
    format!("<a href=\"{href}\"{title} target=\"_blank\" rel=\"noopener noreferrer nofollow\">")
}

/// The opening HTML of a fenced code block: a language label, a copy button, then `<pre><code>`.
/// A long line scrolls inside the `<pre>` (chat.css): it is focusable, so that the keyboard can
/// scroll it too.
pub fn code_block_open(language: &str) -> String {
    let language = escaped_attr(language);
    let label = if language.is_empty() { "text".to_owned() } else { language };
    format!(
        "<div class=\"code-block\" data-lang=\"{label}\"><div class=\"code-head\"><span class=\"code-lang\">{label}</span>\
         <button type=\"button\" class=\"copy-code\">Copy</button></div><pre tabindex=\"0\"><code class=\"language-{label}\">"
    )
}

/// The language of a code fence's opening line, as the renderer reads it (the first word of the
/// info string, escapes resolved), or None when the line does not open a code block.
pub fn fence_language(fence_line: &str) -> Option<String> {
    Parser::new(fence_line).find_map(|event| match event {
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => Some(info.split_whitespace().next().unwrap_or("").to_owned()),
        _ => None,
    })
}

/// One line of code (with its newline, if it has one) as HTML: highlighted, or only escaped when
/// it is too long to be worth it. Code is highlighted line by line, so a growing code block
/// highlights each finished line once.
pub fn code_line_html(language: &str, line: &str, out: &mut String) {
    if line.len() > LONG_LINE {
        let _ = escape_html_body_text(&mut *out, line);
    } else {
        out.push_str(&highlight(language, line));
    }
}

/// Lines of code per chunk: each chunk is its own box, so that while a code block grows the
/// browser lays out only its last chunk, not the whole block.
pub const CODE_CHUNK_LINES: usize = 32;

/// A chunk of code lines (each with its newline, but perhaps the last) as HTML.
pub fn code_chunk_html(language: &str, lines: &[&str], out: &mut String) {
    if lines.is_empty() {
        return;
    }
    out.push_str("<span class=\"code-lines\">");
    for line in lines {
        code_line_html(language, line, out);
    }
    out.push_str("</span>");
}

/// A line too long to parse as markdown on every update, as a paragraph of plain text (escaped)
/// in slices of `LONG_LINE_SLICE` bytes, each its own box so that the browser lays out only the
/// slice that grows.
pub fn long_line_html(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 32);
    out.push_str(LONG_LINE_OPEN);
    let mut start = 0;
    while line.len() - start > LONG_LINE_SLICE {
        let end = floor_char_boundary(line, start + LONG_LINE_SLICE);
        long_line_slice_html(&line[start..end], &mut out);
        start = end;
    }
    long_line_slice_html(&line[start..], &mut out);
    out.push_str(LONG_LINE_CLOSE);
    out
}

/// One slice of a long line (nothing for an empty one).
pub fn long_line_slice_html(slice: &str, out: &mut String) {
    if !slice.is_empty() {
        out.push_str("<span>");
        let _ = escape_html_body_text(&mut *out, slice);
        out.push_str("</span>");
    }
}

/// The paragraph that holds a long line, and the bytes of it placed at a time.
pub const LONG_LINE_OPEN: &str = "<p class=\"long-line\">";
pub const LONG_LINE_CLOSE: &str = "</p>\n";
pub const LONG_LINE_SLICE: usize = 4 * 1024;

/// Whether `markdown` is one line too long to parse (see `lines::LONG_LINE`).
pub fn is_long_line(markdown: &str) -> bool {
    let body = markdown.trim_end_matches('\n');
    body.len() > LONG_LINE && !body.contains('\n')
}

/// Renders one block (or any markdown) to safe HTML.
pub fn render_block(markdown: &str) -> String {
    if is_long_line(markdown) {
        return long_line_html(markdown.trim_end_matches('\n'));
    }
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    // Which links were refused, so their closing tag is dropped too.
    let mut open_links: Vec<bool> = Vec::new();
    // The language and text of the code block being read, if inside one.
    let mut code: Option<(String, String)> = None;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        // Raw HTML from the model is text, never markup.
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link { dest_url, title, .. }) | Event::Start(Tag::Image { dest_url, title, .. }) => match safe_url(&dest_url) {
            Some(url) => {
                open_links.push(true);
                Event::Html(CowStr::from(link_open(url, &title)))
            }
            None => {
                open_links.push(false);
                Event::Text(CowStr::Borrowed(""))
            }
        },
        Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
            if open_links.pop().unwrap_or(false) {
                Event::Html(CowStr::Borrowed("</a>"))
            } else {
                Event::Text(CowStr::Borrowed(""))
            }
        }
        Event::Text(text) if code.is_some() => {
            if let Some((_, buffer)) = code.as_mut() {
                buffer.push_str(&text);
            }
            Event::Text(CowStr::Borrowed(""))
        }
        Event::Start(Tag::CodeBlock(kind)) => {
            let language = match &kind {
                CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_owned(),
                CodeBlockKind::Indented => String::new(),
            };
            let open = code_block_open(&language);
            code = Some((language, String::new()));
            Event::Html(CowStr::from(open))
        }
        Event::End(TagEnd::CodeBlock) => {
            let (language, text) = code.take().unwrap_or_default();
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            let mut html = String::with_capacity(text.len() * 2);
            for chunk in lines.chunks(CODE_CHUNK_LINES) {
                code_chunk_html(&language, chunk, &mut html);
            }
            html.push_str(CODE_BLOCK_CLOSE);
            Event::Html(CowStr::from(html))
        }
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    // A wide table scrolls inside its own box as code does, so it is focusable too. The model's
    // raw HTML is text by now (escaped), so every "<table>" here is the renderer's.
    if out.contains("<table>") {
        out = chunk_table_rows(&out.replace("<table>", "<table tabindex=\"0\">"));
    }
    out
}

/// Rows per `<tbody>` of a table: each body is a section of its own, so that while a table grows
/// the browser lays out and paints its last section, not every row. Even, so that rows striped
/// by `nth-child` keep their stripes across sections.
pub const TABLE_CHUNK_ROWS: usize = 32;

/// Starts a new `<tbody>` after every `TABLE_CHUNK_ROWS` rows of each table body in `html` (the
/// renderer's output: the model's raw HTML is escaped text by now, so every tag is ours).
fn chunk_table_rows(html: &str) -> String {
    const BODY: &str = "<tbody>\n";
    const ROW_END: &str = "</tr>\n";
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(body) = rest.find(BODY) {
        let (before, body) = rest.split_at(body + BODY.len());
        out.push_str(before);
        let body_end = body.find("</tbody>").unwrap_or(body.len());
        let (mut rows, mut placed, mut at) = (0, 0, 0);
        while let Some(row_end) = body[at..body_end].find(ROW_END) {
            at += row_end + ROW_END.len();
            rows += 1;
            if rows % TABLE_CHUNK_ROWS == 0 && at < body_end {
                out.push_str(&body[placed..at]);
                out.push_str("</tbody><tbody>\n");
                placed = at;
            }
        }
        rest = &body[placed..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_and_tables_that_scroll_are_focusable() {
        assert!(render_block("```rust\nfn main() {}\n```").contains("<pre tabindex=\"0\">"));
        assert!(render_block("| a | b |\n| --- | --- |\n| 1 | 2 |").contains("<table tabindex=\"0\">"));
        // A table the model writes as HTML stays text.
        let html = render_block("<table><tr><td>x</td></tr></table>");
        assert!(!html.contains("<table"), "{html}");
    }

    #[test]
    fn raw_html_and_scripts_render_as_text() {
        let html = render_block("<script>alert(1)</script>\n\nHi <img src=x onerror=alert(1)> there");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    }

    #[test]
    fn dangerous_links_lose_their_target() {
        for url in ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "data:text/html,<b>x</b>", "vbscript:x"] {
            let html = render_block(&format!("[click]({url})"));
            assert!(!html.contains("href"), "{url}: {html}");
            assert!(html.contains("click"), "{url}: the link text stays");
        }
        let html = render_block("[docs](https://docs.x.ai/a?b=1&c=2 \"The docs\")");
        assert!(html.contains("href=\"https://docs.x.ai/a?b=1&amp;c=2\""), "{html}");
        assert!(html.contains("rel=\"noopener noreferrer nofollow\""));
        assert!(html.contains("title=\"The docs\""));
    }

    #[test]
    fn images_become_links_so_nothing_loads_by_itself() {
        let html = render_block("![a cat](https://example.com/cat.png)");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("href=\"https://example.com/cat.png\""));
        let html = render_block("![x](javascript:alert(1))");
        assert!(!html.contains("href") && !html.contains("<img"), "{html}");
    }

    #[test]
    fn code_blocks_get_a_label_and_a_copy_button_with_escaped_content() {
        let html = render_block("```rust\nfn main() { let x = 1 < 2; }\n```");
        assert!(html.contains("data-lang=\"rust\""));
        assert!(html.contains("class=\"copy-code\""));
        assert!(html.contains("</span> &lt; <span"), "{html}");
        assert!(html.contains("<span class=\"hl-kw\">fn</span>"), "highlighted: {html}");
        let hostile = render_block("```\"><script>x</script>\ncode\n```");
        assert!(!hostile.contains("<script"), "{hostile}");
    }

    #[test]
    fn safe_urls() {
        assert_eq!(safe_url("https://x.ai"), Some("https://x.ai"));
        assert_eq!(safe_url("/relative/path:with-colon"), Some("/relative/path:with-colon"));
        assert_eq!(safe_url("mailto:a@b.c"), Some("mailto:a@b.c"));
        assert_eq!(safe_url("javascript:x"), None);
        assert_eq!(safe_url(" data:x"), None);
    }

    #[test]
    fn a_megabyte_on_one_line_renders_quickly_and_inertly() {
        let line = "<b>".repeat(350_000);
        let started = std::time::Instant::now();
        let html = render_block(&line);
        assert!(!html.contains("<b>"));
        assert!(html.starts_with(&format!("{LONG_LINE_OPEN}<span>&lt;b&gt;&lt;b&gt;")), "{}", &html[..60]);
        assert!(started.elapsed().as_secs() < 5);
        // Below the limit a line is markdown as usual.
        assert_eq!(render_block("**bold**"), "<p><strong>bold</strong></p>\n");
    }

    #[test]
    fn long_code_lines_are_escaped_without_highlighting() {
        let long = format!("let x = \"{}<\";", "a".repeat(LONG_LINE));
        let html = render_block(&format!("```rust\nlet y = 1;\n{long}\n```"));
        assert!(html.contains("<span class=\"hl-kw\">let</span> y"), "{html}");
        let plain = &html[html.find("let x = \"aaaa").expect("the long line, escaped")..];
        assert!(
            plain.starts_with(&format!("let x = \"{}&lt;\";\n</span></code>", "a".repeat(LONG_LINE))),
            "not highlighted: {}",
            &plain[..40]
        );
    }
}
