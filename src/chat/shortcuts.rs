//! The chat page's keyboard shortcuts, decided from a key event's fields.

/// What a key press asks the chat page to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shortcut {
    /// Alt+N (Option+N on a Mac).
    NewChat,
    /// Esc: stop the answer under way.
    Stop,
}

/// The fields of a keydown event that matter here.
#[derive(Clone, Copy, Debug, Default)]
pub struct KeyPress<'a> {
    /// `KeyboardEvent.key`: what the key produces in the current layout.
    pub key: &'a str,
    /// `KeyboardEvent.code`: the physical key.
    pub code: &'a str,
    pub alt: bool,
    pub ctrl: bool,
    pub meta: bool,
    /// The press happened in a form field other than the composer: such fields may use Esc
    /// themselves (cancel a rename, close a select).
    pub in_other_field: bool,
}

/// The shortcut a key press means, if any. Alt+N is matched by the physical key too: on a Mac
/// Option+N is a dead key (`key` is "Dead"), elsewhere `key` is "n" or "N".
pub fn shortcut(press: KeyPress) -> Option<Shortcut> {
    if press.alt && !press.ctrl && !press.meta && (press.key.eq_ignore_ascii_case("n") || press.code == "KeyN") {
        return Some(Shortcut::NewChat);
    }
    if press.key == "Escape" && !press.in_other_field {
        return Some(Shortcut::Stop);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(key: &'static str, code: &'static str) -> KeyPress<'static> {
        KeyPress { key, code, ..Default::default() }
    }

    #[test]
    fn alt_n_starts_a_new_chat_on_every_layout() {
        assert_eq!(shortcut(KeyPress { alt: true, ..press("n", "KeyN") }), Some(Shortcut::NewChat));
        assert_eq!(shortcut(KeyPress { alt: true, ..press("N", "KeyN") }), Some(Shortcut::NewChat));
        // macOS: Option+N is the dead key for a tilde.
        assert_eq!(shortcut(KeyPress { alt: true, ..press("Dead", "KeyN") }), Some(Shortcut::NewChat));
        // AZERTY and others: the key that types "n" wherever it is.
        assert_eq!(shortcut(KeyPress { alt: true, ..press("n", "Semicolon") }), Some(Shortcut::NewChat));
    }

    #[test]
    fn n_without_alt_or_with_other_modifiers_is_no_shortcut() {
        assert_eq!(shortcut(press("n", "KeyN")), None);
        assert_eq!(shortcut(KeyPress { alt: true, ctrl: true, ..press("n", "KeyN") }), None);
        assert_eq!(shortcut(KeyPress { alt: true, meta: true, ..press("n", "KeyN") }), None);
        assert_eq!(shortcut(KeyPress { alt: true, ..press("m", "KeyM") }), None);
    }

    #[test]
    fn escape_stops_unless_another_field_uses_it() {
        assert_eq!(shortcut(press("Escape", "Escape")), Some(Shortcut::Stop));
        assert_eq!(shortcut(KeyPress { in_other_field: true, ..press("Escape", "Escape") }), None);
    }
}
