//! A tab list as WAI-ARIA describes it: one Tab stop (the selected tab; the others have
//! tabindex -1, a "roving tabindex"), Left and Right move to the previous and next tab (wrapping
//! round), Home and End to the first and last; moving selects (automatic activation: the panels
//! are already in the page, so showing one costs nothing). Each tab controls the panel whose id
//! is the tab's id with `-panel` after it, which `tab_panel_id` gives the page.
use leptos::prelude::*;

/// The tab a key moves to from tab `current` of `count`, if the key is one of the tab list's.
pub fn tab_key_target(key: &str, current: usize, count: usize) -> Option<usize> {
    if count == 0 {
        return None;
    }
    let last = count - 1;
    match key {
        "ArrowRight" => Some(if current >= last { 0 } else { current + 1 }),
        "ArrowLeft" => Some(if current == 0 || current > last { last } else { current - 1 }),
        "Home" => Some(0),
        "End" => Some(last),
        _ => None,
    }
}

/// The id of the panel controlled by the tab with id `tab_id`.
pub fn tab_panel_id(tab_id: &str) -> String {
    format!("{tab_id}-panel")
}

/// One tab: the value it selects, its element id and its label.
pub type TabSpec<T> = (T, &'static str, &'static str);

/// The tab list named `label` over `tabs`; `selected` is the value of the tab shown.
#[component]
pub fn TabList<T>(label: &'static str, tabs: Vec<TabSpec<T>>, selected: RwSignal<T>) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    let order: Vec<(T, &'static str)> = tabs.iter().map(|(value, id, _)| (*value, *id)).collect();
    let on_keydown = move |e: leptos::ev::KeyboardEvent| {
        // Alt+Left is the browser's Back, Ctrl/Cmd with an arrow the system's: not the tabs'.
        if e.alt_key() || e.ctrl_key() || e.meta_key() {
            return;
        }
        let current = order.iter().position(|(value, _)| *value == selected.get_untracked()).unwrap_or(0);
        let Some(next) = tab_key_target(&e.key(), current, order.len()) else { return };
        e.prevent_default();
        let (value, id) = order[next];
        selected.set(value);
        if let Some(tab) = document().get_element_by_id(id).and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(t).ok()) {
            let _ = tab.focus();
        }
    };
    view! {
        <div class="tabs" role="tablist" aria-label=label on:keydown=on_keydown>
            {tabs
                .into_iter()
                .map(|(value, id, text)| {
                    let is_selected = move || selected.get() == value;
                    view! {
                        <button type="button" role="tab" id=id class="tab" aria-controls=tab_panel_id(id)
                            aria-selected=move || is_selected().to_string() tabindex=move || if is_selected() { "0" } else { "-1" }
                            on:click=move |_| selected.set(value)>{text}</button>
                    }
                })
                .collect_view()}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_move_and_wrap_round() {
        assert_eq!(tab_key_target("ArrowRight", 0, 3), Some(1));
        assert_eq!(tab_key_target("ArrowRight", 2, 3), Some(0));
        assert_eq!(tab_key_target("ArrowLeft", 1, 3), Some(0));
        assert_eq!(tab_key_target("ArrowLeft", 0, 3), Some(2));
    }

    #[test]
    fn home_and_end_go_to_the_ends() {
        assert_eq!(tab_key_target("Home", 2, 3), Some(0));
        assert_eq!(tab_key_target("End", 0, 3), Some(2));
    }

    #[test]
    fn other_keys_and_empty_lists_do_nothing() {
        assert_eq!(tab_key_target("ArrowDown", 0, 3), None);
        assert_eq!(tab_key_target("Enter", 0, 3), None);
        assert_eq!(tab_key_target("ArrowRight", 0, 0), None);
    }

    #[test]
    fn panels_are_named_after_their_tabs() {
        assert_eq!(tab_panel_id("tab-edit"), "tab-edit-panel");
    }
}
