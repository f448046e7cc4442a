//! The app's icons: one small set of inline SVGs drawn the same way (24×24 grid, 2 px strokes in
//! `currentColor`, round ends), so they take the text colour of both themes and cost no font or
//! request. Icons are decoration: each is `aria-hidden`, and the control it sits in carries the
//! words (a visible label or an `aria-label`).
use leptos::prelude::*;

/// Every icon the app draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Icon {
    Copy,
    Check,
    Edit,
    Regenerate,
    Branch,
    ChevronLeft,
    ChevronRight,
    Menu,
    Close,
    Send,
    Stop,
    Attach,
    Trash,
    Sun,
    Moon,
    Info,
}

impl Icon {
    /// Every icon, for tests and previews.
    pub const ALL: [Icon; 16] = [
        Icon::Copy,
        Icon::Check,
        Icon::Edit,
        Icon::Regenerate,
        Icon::Branch,
        Icon::ChevronLeft,
        Icon::ChevronRight,
        Icon::Menu,
        Icon::Close,
        Icon::Send,
        Icon::Stop,
        Icon::Attach,
        Icon::Trash,
        Icon::Sun,
        Icon::Moon,
        Icon::Info,
    ];

    /// The icon as one SVG path on the 24×24 grid (strokes only).
    pub fn path(self) -> &'static str {
        match self {
            Icon::Copy => "M9 9h11v11H9zM5 15H4V4h11v1",
            Icon::Check => "M20 6 9 17l-5-5",
            Icon::Edit => "M12 20h9M16.5 3.5a2.1 2.1 0 0 1 3 3L7 19l-4 1 1-4z",
            Icon::Regenerate => "M21 4v6h-6M20 15a8 8 0 1 1-1.9-8.3L21 10",
            Icon::Branch => "M6 3v12M18 9a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM6 21a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM18 9a9 9 0 0 1-9 9",
            Icon::ChevronLeft => "M15 18l-6-6 6-6",
            Icon::ChevronRight => "M9 18l6-6-6-6",
            Icon::Menu => "M3 6h18M3 12h18M3 18h18",
            Icon::Close => "M18 6 6 18M6 6l12 12",
            Icon::Send => "M22 2 11 13M22 2l-7 20-4-9-9-4z",
            Icon::Stop => "M6 6h12v12H6z",
            Icon::Attach => "M21.4 11.1l-9.2 9.2a6 6 0 0 1-8.5-8.5l9.2-9.2a4 4 0 0 1 5.7 5.7l-9.2 9.2a2 2 0 0 1-2.8-2.8l8.5-8.5",
            Icon::Trash => "M3 6h18M8 6V4h8v2M19 6l-1 14H6L5 6M10 11v6M14 11v6",
            Icon::Sun => "M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8zM12 1v2M12 21v2M4.2 4.2l1.4 1.4M18.4 18.4l1.4 1.4M1 12h2M21 12h2M4.2 19.8l1.4-1.4M18.4 5.6l1.4-1.4",
            Icon::Moon => "M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z",
            Icon::Info => "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zM12 16v-4M12 8h.01",
        }
    }
}

/// An icon at the size of the text around it (`.icon` in style/main.css).
#[component]
pub fn IconSvg(icon: Icon) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" stroke-width="2"
            stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">
            <path d=icon.path()/>
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_icon_is_one_distinct_path_on_the_grid() {
        let paths: std::collections::HashSet<&str> = Icon::ALL.iter().map(|icon| icon.path()).collect();
        assert_eq!(paths.len(), Icon::ALL.len(), "no two icons draw the same");
        for icon in Icon::ALL {
            let path = icon.path();
            assert!(path.starts_with('M'), "{icon:?} starts with a move");
            // Coordinates stay on the 24×24 grid (arc radii and flags are small too).
            let numbers = path.split(|c: char| !(c.is_ascii_digit() || c == '.')).filter(|n| !n.is_empty());
            assert!(numbers.map(|n| n.parse::<f64>().unwrap()).all(|n| n <= 24.0), "{icon:?} stays within 24");
        }
    }
}
