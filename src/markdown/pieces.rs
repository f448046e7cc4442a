//! Checks that a rendered piece of a block is what its shape expects, before it is placed in the
//! page for good.

/// Whether `html` (generated markup: model text in it is escaped) is a sequence of complete
/// `tag` elements separated by line breaks.
pub fn only_elements(html: &str, tag: &str) -> bool {
    let mut depth = 0usize;
    let mut rest = html;
    while !rest.is_empty() {
        if depth == 0 {
            let text_end = rest.find('<').unwrap_or(rest.len());
            if !rest[..text_end].trim().is_empty() {
                return false;
            }
            rest = &rest[text_end..];
            if rest.is_empty() {
                break;
            }
        }
        let Some(open) = rest.find('<') else { break };
        let Some(close) = rest[open..].find('>') else { return false };
        let inside = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        if let Some(name) = inside.strip_prefix('/') {
            if depth == 0 {
                return false;
            }
            depth -= 1;
            if depth == 0 && name != tag {
                return false;
            }
            continue;
        }
        let name = inside.split([' ', '/']).next().unwrap_or("");
        let void = inside.ends_with('/') || matches!(name, "br" | "hr" | "img" | "input");
        if depth == 0 && (name != tag || void) {
            return false;
        }
        if !void {
            depth += 1;
        }
    }
    depth == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn piece_checks_accept_only_whole_elements_of_the_shape() {
        assert!(only_elements("<li>a <em>b</em></li>\n<li><input disabled=\"\" type=\"checkbox\"/>\nc</li>\n", "li"));
        assert!(!only_elements("<li>a</li>\n</ul>\n<ul>\n<li>b</li>\n", "li"));
        assert!(!only_elements("<li>a</li>\n<hr />\n", "li"));
        assert!(!only_elements("<li>a", "li"));
        assert!(only_elements("", "tr"));
    }
}
