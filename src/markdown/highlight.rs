//! A small syntax highlighter for code blocks: comments, strings, numbers and keywords of the
//! common languages, as escaped HTML spans. It scans each character once (no regex, no
//! backtracking), so hostile input cannot make it slow.
use pulldown_cmark_escape::escape_html_body_text;

const KEYWORDS: &[&str] = &[
    // Rust, Go, C-family, JS/TS, Python, Java, shell: the words readers expect to stand out.
    "as",
    "async",
    "await",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "def",
    "default",
    "defer",
    "do",
    "elif",
    "else",
    "enum",
    "except",
    "export",
    "extends",
    "false",
    "finally",
    "fn",
    "for",
    "from",
    "func",
    "function",
    "go",
    "if",
    "impl",
    "import",
    "in",
    "interface",
    "let",
    "loop",
    "match",
    "mod",
    "mut",
    "new",
    "nil",
    "None",
    "null",
    "package",
    "pass",
    "pub",
    "raise",
    "return",
    "self",
    "Self",
    "static",
    "struct",
    "super",
    "switch",
    "then",
    "this",
    "throw",
    "trait",
    "True",
    "true",
    "False",
    "try",
    "type",
    "typeof",
    "use",
    "var",
    "void",
    "where",
    "while",
    "with",
    "yield",
    "fi",
    "done",
    "echo",
    "lambda",
    "and",
    "or",
    "not",
];

/// Languages whose line comments start with '#'.
fn hash_comments(language: &str) -> bool {
    matches!(language, "python" | "py" | "sh" | "bash" | "shell" | "zsh" | "ruby" | "rb" | "toml" | "yaml" | "yml" | "r" | "perl")
}

fn span(out: &mut String, class: &str, text: &str) {
    out.push_str("<span class=\"");
    out.push_str(class);
    out.push_str("\">");
    let _ = escape_html_body_text(&mut *out, text);
    out.push_str("</span>");
}

/// Highlighted, escaped HTML for one piece of code.
pub fn highlight(language: &str, code: &str) -> String {
    let language = language.to_ascii_lowercase();
    let hash = hash_comments(&language);
    let mut out = String::with_capacity(code.len() * 2);
    let chars: Vec<(usize, char)> = code.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(code.len(), |(at, _)| *at);
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let next = chars.get(i + 1).map(|(_, c)| *c);
        let line_comment = (c == '/' && next == Some('/')) || (c == '#' && hash) || (c == '-' && next == Some('-') && language == "sql");
        if line_comment {
            let mut j = i;
            while j < chars.len() && chars[j].1 != '\n' {
                j += 1;
            }
            span(&mut out, "hl-com", &code[start..end_of(j)]);
            i = j;
        } else if c == '/' && next == Some('*') {
            let mut j = i + 2;
            while j + 1 < chars.len() && !(chars[j].1 == '*' && chars[j + 1].1 == '/') {
                j += 1;
            }
            let j = (j + 2).min(chars.len());
            span(&mut out, "hl-com", &code[start..end_of(j)]);
            i = j;
        } else if c == '"' || c == '\'' || c == '`' {
            let mut j = i + 1;
            while j < chars.len() && chars[j].1 != c && !(chars[j].1 == '\n' && c != '`') {
                if chars[j].1 == '\\' {
                    j += 1;
                }
                j += 1;
            }
            let j = (j + 1).min(chars.len());
            span(&mut out, "hl-str", &code[start..end_of(j)]);
            i = j;
        } else if c.is_ascii_digit() {
            let mut j = i;
            while j < chars.len() && (chars[j].1.is_ascii_alphanumeric() || chars[j].1 == '.' || chars[j].1 == '_') {
                j += 1;
            }
            span(&mut out, "hl-num", &code[start..end_of(j)]);
            i = j;
        } else if c.is_alphabetic() || c == '_' {
            let mut j = i;
            while j < chars.len() && (chars[j].1.is_alphanumeric() || chars[j].1 == '_') {
                j += 1;
            }
            let word = &code[start..end_of(j)];
            if KEYWORDS.contains(&word) {
                span(&mut out, "hl-kw", word);
            } else {
                let _ = escape_html_body_text(&mut out, word);
            }
            i = j;
        } else {
            let _ = escape_html_body_text(&mut out, &code[start..end_of(i + 1)]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_strings_numbers_and_comments_get_classes() {
        let html = highlight("rust", "let x = \"a<b\"; // note\nfn f() { 42 }");
        assert!(html.contains("<span class=\"hl-kw\">let</span>"));
        assert!(
            html.contains("<span class=\"hl-str\">&quot;a&lt;b&quot;</span>") || html.contains("<span class=\"hl-str\">\"a&lt;b\"</span>"),
            "{html}"
        );
        assert!(html.contains("<span class=\"hl-com\">// note</span>"));
        assert!(html.contains("<span class=\"hl-num\">42</span>"));
    }

    #[test]
    fn hash_comments_only_where_the_language_has_them() {
        assert!(highlight("python", "x = 1  # one").contains("<span class=\"hl-com\"># one</span>"));
        assert!(!highlight("rust", "#[derive(Debug)]").contains("hl-com"));
    }

    #[test]
    fn markup_in_code_is_escaped_and_text_survives() {
        let code = "<script>alert('x')</script> /* open";
        let html = highlight("html", code);
        assert!(!html.contains("<script"));
        let text: String = {
            let mut plain = String::new();
            let mut inside = false;
            for c in html.chars() {
                match c {
                    '<' => inside = true,
                    '>' if inside => inside = false,
                    _ if !inside => plain.push(c),
                    _ => {}
                }
            }
            plain
        };
        assert_eq!(
            text.replace("&lt;", "<").replace("&gt;", ">").replace("&#39;", "'").replace("&quot;", "\"").replace("&amp;", "&"),
            code
        );
    }

    #[test]
    fn unterminated_strings_and_long_inputs_stay_linear() {
        let code = "\"".to_owned() + &"a".repeat(200_000);
        let started = std::time::Instant::now();
        let html = highlight("js", &code);
        assert!(html.len() > 200_000);
        assert!(started.elapsed().as_secs() < 2);
    }
}
