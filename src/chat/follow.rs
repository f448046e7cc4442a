//! Whether the thread follows a streaming answer: it does while the reader is at the bottom,
//! stops when they scroll up, and starts again when they come back to the bottom.
//!
//! A scroll event alone cannot tell the reader's scroll from the page's own: content that grew
//! between the page's scroll and the event looks like "not at the bottom". So only a move *up*
//! from where the page last scrolled to (or a wheel turned up) counts as the reader leaving.

/// Distance from the bottom (px) within which the reader counts as at the bottom.
pub const SLACK: i32 = 48;

/// The follow decision of one thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Follow {
    following: bool,
    /// Where the page itself last scrolled to.
    auto_top: i32,
}

impl Default for Follow {
    fn default() -> Self {
        Follow { following: true, auto_top: 0 }
    }
}

impl Follow {
    /// Whether the thread should be kept at the bottom.
    pub fn following(&self) -> bool {
        self.following
    }

    /// Another conversation opened or the reader sent a message: whatever they scrolled before
    /// (even a click that scrolled the page to the "New chat" button) was about the old
    /// content, and the new answer is what they want to watch.
    pub fn restart(&mut self) {
        *self = Follow::default();
    }

    /// The page scrolled the thread to `top` (to follow the stream).
    pub fn scrolled_by_page(&mut self, top: i32) {
        self.auto_top = top;
    }

    /// A scroll event: `top` is scrollTop, `height` scrollHeight, `client` clientHeight.
    pub fn on_scroll(&mut self, top: i32, height: i32, client: i32) {
        if height - top - client < SLACK {
            self.following = true;
            // The bottom is where following keeps the thread; a page that shrank (another
            // conversation opened) must not leave a stale, higher mark that a later scroll of
            // the page's own would fall below.
            self.auto_top = top;
        } else if top < self.auto_top {
            self.following = false;
        }
        // Otherwise the content grew below a thread that did not move: nothing changes.
    }

    /// A wheel turned: up means the reader wants to read back, before any scroll event.
    pub fn on_wheel(&mut self, delta_y: f64) {
        if delta_y < 0.0 {
            self.following = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_growing_below_does_not_stop_following() {
        let mut follow = Follow::default();
        follow.scrolled_by_page(1000);
        // 300 px more arrived before the scroll event of the page's own scroll was handled.
        follow.on_scroll(1000, 1800, 500);
        assert!(follow.following());
    }

    #[test]
    fn scrolling_up_stops_and_the_bottom_resumes() {
        let mut follow = Follow::default();
        follow.scrolled_by_page(1000);
        follow.on_scroll(700, 1500, 500);
        assert!(!follow.following());
        // Content keeps growing, the reader stays: still not following.
        follow.on_scroll(700, 2500, 500);
        assert!(!follow.following());
        // Scrolling down but not to the bottom: still reading.
        follow.on_scroll(1200, 2500, 500);
        assert!(!follow.following());
        follow.on_scroll(1990, 2500, 500);
        assert!(follow.following());
    }

    #[test]
    fn a_page_that_shrank_to_the_bottom_does_not_leave_a_stale_mark() {
        let mut follow = Follow::default();
        // A long conversation was followed to its end …
        follow.scrolled_by_page(5000);
        // … then a short one opened: the page shrank and the browser clamped it to the bottom.
        follow.on_scroll(200, 900, 700);
        // Its new answer grows before the page's next follow: not a reader scrolling up.
        follow.on_scroll(200, 1500, 700);
        assert!(follow.following());
    }

    #[test]
    fn a_new_conversation_or_message_follows_again_wherever_the_reader_was() {
        let mut follow = Follow::default();
        follow.scrolled_by_page(5000);
        // Scrolled to the top to reach "New chat": the reader left the bottom of the old one.
        follow.on_scroll(0, 5700, 700);
        assert!(!follow.following());
        follow.restart();
        assert!(follow.following());
        // The new, short conversation's answer grows below the top of the page.
        follow.on_scroll(0, 1500, 700);
        assert!(follow.following());
    }

    #[test]
    fn a_wheel_turned_up_stops_at_once_and_down_does_not() {
        let mut follow = Follow::default();
        follow.on_wheel(120.0);
        assert!(follow.following());
        follow.on_wheel(-120.0);
        assert!(!follow.following());
    }
}
