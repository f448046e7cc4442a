//! Token pagination as the user sees it: Next follows the server's token, Previous goes back to
//! the token that produced the page before (the server only pages forward).

/// Where the user is in a token-paged list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pager {
    /// Tokens of the pages visited, the first page's being empty; the last is the current one.
    trail: Vec<String>,
    /// The token of the page after the current one, once the current page has loaded.
    next: Option<String>,
}

impl Default for Pager {
    fn default() -> Self {
        Pager { trail: vec![String::new()], next: None }
    }
}

impl Pager {
    /// The token that loads the current page.
    pub fn token(&self) -> &str {
        self.trail.last().map_or("", String::as_str)
    }

    /// 1 for the first page.
    pub fn page_number(&self) -> usize {
        self.trail.len()
    }

    /// Records the token the current page's response gave (empty: it is the last page).
    pub fn loaded(&mut self, next_token: &str) {
        self.next = (!next_token.is_empty()).then(|| next_token.to_owned());
    }

    /// Whether a next page exists.
    pub fn has_next(&self) -> bool {
        self.next.is_some()
    }

    /// Whether there is a page before this one.
    pub fn has_previous(&self) -> bool {
        self.trail.len() > 1
    }

    /// Moves to the next page; false when there is none.
    pub fn go_next(&mut self) -> bool {
        match self.next.take() {
            Some(token) => {
                self.trail.push(token);
                true
            }
            None => false,
        }
    }

    /// Moves back one page; false on the first.
    pub fn go_previous(&mut self) -> bool {
        if !self.has_previous() {
            return false;
        }
        self.trail.pop();
        self.next = None;
        true
    }

    /// Back to the first page (after creating something new, which lists first).
    pub fn reset(&mut self) {
        *self = Pager::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_follows_tokens_and_previous_retraces_them() {
        let mut pager = Pager::default();
        assert_eq!((pager.token(), pager.page_number(), pager.has_previous(), pager.has_next()), ("", 1, false, false));
        assert!(!pager.go_next(), "no next page before the first has loaded");
        pager.loaded("t2");
        assert!(pager.has_next());
        assert!(pager.go_next());
        assert_eq!((pager.token(), pager.page_number()), ("t2", 2));
        assert!(!pager.has_next(), "unknown until page 2 has loaded");
        pager.loaded("t3");
        assert!(pager.go_next());
        pager.loaded("");
        assert!(!pager.has_next(), "the last page");
        assert!(pager.go_previous());
        assert_eq!(pager.token(), "t2");
        assert!(pager.go_previous());
        assert_eq!(pager.token(), "");
        assert!(!pager.go_previous());
    }

    #[test]
    fn reset_returns_to_the_first_page() {
        let mut pager = Pager::default();
        pager.loaded("t2");
        pager.go_next();
        pager.reset();
        assert_eq!(pager, Pager::default());
    }
}
