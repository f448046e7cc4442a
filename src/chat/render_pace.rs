//! When the streaming answer is shown again. Deltas can arrive far faster than the screen
//! changes (1,000 a second), so the page shows the answer at most once per animation frame; and
//! because showing a large answer costs the browser time of its own (layout and paint of a long
//! table grow with its rows), a render that took long is followed by a pause in proportion, so
//! that rendering never takes more than a share of the main thread and input stays responsive.
//! The pause ends early once much new text waits: the work of a render also grows with the text
//! it adds, and at maximum rate longer pauses would make ever larger renders.

/// At most this share of the time goes to showing the answer (ours and the browser's work).
const RENDER_SHARE: f64 = 0.25;

/// Bytes of new text that end a pause.
const MOST_UNSHOWN: usize = 4 * 1024;

/// The pacing state of the live answer's renders.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RenderPace {
    /// A frame is requested that will show the answer.
    pending: bool,
    /// No render starts before this time (ms, the page's clock) ...
    not_before: f64,
    /// ... unless the text has grown by `MOST_UNSHOWN` bytes since this length was shown.
    shown: usize,
}

impl RenderPace {
    /// New text arrived: whether a frame must be requested (none is yet).
    pub fn want(&mut self) -> bool {
        !std::mem::replace(&mut self.pending, true)
    }

    /// A requested frame came at `now`, the answer being `length` bytes long: whether to show
    /// it in this frame (else ask for the next one).
    pub fn frame(&mut self, now: f64, length: usize) -> bool {
        let show = now >= self.not_before || length.saturating_sub(self.shown) >= MOST_UNSHOWN;
        if show {
            self.pending = false;
            self.shown = length;
        }
        show
    }

    /// A render started at `started` and the browser finished showing it by `finished`.
    pub fn rendered(&mut self, started: f64, finished: f64) {
        self.not_before = started + (finished - started) / RENDER_SHARE;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_frame_for_many_deltas_and_a_pause_after_a_long_render_unless_much_text_waits() {
        let mut pace = RenderPace::default();
        assert!(pace.want());
        assert!(!pace.want(), "one frame requested for many deltas");
        assert!(pace.frame(16.0, 10));
        assert!(pace.want(), "after the render, new text asks for a frame again");
        // A cheap render (2 ms): the next frame shows the answer again.
        pace.rendered(16.0, 18.0);
        assert!(pace.frame(33.0, 20));
        // A render that cost the browser 10 ms: the next 40 ms show nothing new.
        assert!(pace.want());
        pace.rendered(33.0, 43.0);
        assert!(!pace.frame(50.0, 30));
        assert!(!pace.want(), "still pending");
        assert!(pace.frame(73.0, 40));
        // Much new text ends a pause.
        pace.rendered(73.0, 83.0);
        assert!(!pace.frame(90.0, 40 + MOST_UNSHOWN - 1));
        assert!(pace.frame(90.0, 40 + MOST_UNSHOWN));
    }
}
