//! Renders one markdown block to HTML that is safe to insert: raw HTML from the model is shown
//! as text, links keep only http(s)/mailto/relative targets and open in a new tab without an
//! opener, images become links (no request leaves the page for a model-chosen URL), and fenced
//! code gets a language label, highlighting and a copy button.
use pulldown_cmark::{html, CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};

use super::highlight::highlight;

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

/// Renders one block (or any markdown) to safe HTML.
pub fn render_block(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    // Which links were refused, so their closing tag is dropped too.
    let mut open_links: Vec<bool> = Vec::new();
    // The language of the code block being read, if inside one.
    let mut code_language: Option<String> = None;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        // Raw HTML from the model is text, never markup.
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link { dest_url, title, .. }) | Event::Start(Tag::Image { dest_url, title, .. }) => {
            match safe_url(&dest_url) {
                Some(url) => {
                    open_links.push(true);
                    Event::Html(CowStr::from(link_open(url, &title)))
                }
                None => {
                    open_links.push(false);
                    Event::Text(CowStr::Borrowed(""))
                }
            }
        }
        Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
            if open_links.pop().unwrap_or(false) {
                Event::Html(CowStr::Borrowed("</a>"))
            } else {
                Event::Text(CowStr::Borrowed(""))
            }
        }
        Event::Text(code) if code_language.is_some() => {
            Event::Html(CowStr::from(highlight(code_language.as_deref().unwrap_or(""), &code)))
        }
        Event::Start(Tag::CodeBlock(kind)) => {
            let language = match &kind {
                CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_owned(),
                CodeBlockKind::Indented => String::new(),
            };
            code_language = Some(language.clone());
            let language = escaped_attr(&language);
            let label = if language.is_empty() { "text".to_owned() } else { language.clone() };
            Event::Html(CowStr::from(format!(
                "<div class=\"code-block\" data-lang=\"{label}\"><div class=\"code-head\"><span class=\"code-lang\">{label}</span>\
                 <button type=\"button\" class=\"copy-code\">Copy</button></div><pre><code class=\"language-{label}\">"
            )))
        }
        Event::End(TagEnd::CodeBlock) => {
            code_language = None;
            Event::Html(CowStr::Borrowed("</code></pre></div>"))
        }
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(started.elapsed().as_secs() < 5);
    }
}
