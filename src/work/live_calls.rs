//! Which calls run right now in some tab of this origin: what tells a reload, which ends the
//! tab's calls, from a copy of the tab, whose own calls go on.
//!
//! A page keeps its work in progress in the tab's sessionStorage, so that a reload can say a
//! call was cut short. But the browser copies a tab's sessionStorage into a tab opened from it
//! ("Duplicate tab", `window.open`): the copy then finds the first tab's running call and, without
//! this, would call it interrupted while it runs on and lands in the shared history. So a call's
//! id names the tab that makes it (its `window.name`, which a reload keeps and a copy does not
//! get), and each call is listed in localStorage (shared by the origin's tabs) while it runs:
//! added when it starts, removed when it ends or its page goes away (`pagehide`). A saved call
//! of another tab that is still listed runs there. (The tab's name, not the list alone, tells a
//! reload: the page after a reload can read the list before the removal its predecessor wrote
//! at `pagehide` reaches it.)
use std::{
    cell::{Cell, RefCell},
    collections::BTreeMap,
};

use crate::{
    storage::local,
    work::clock::{new_id, now_ms},
};

/// The localStorage key: call id → when it started (ms since the epoch).
const KEY: &str = "xai-web.live-calls";

/// Past this age an entry is taken for one a crashed page left (no `pagehide` came): no call of
/// the app runs this long.
const LONGEST_CALL_MS: f64 = 30.0 * 60.0 * 1000.0;

/// The calls listed as running, by id.
pub type LiveCalls = BTreeMap<String, f64>;

/// The prefix of `window.name` that marks it as this app's name for the tab.
const TAB_NAME: &str = "xai-web-tab-";

/// Whether `call` (a running call's id, as a tab saved it) still runs, in another tab than
/// `tab` (this one's name).
pub fn runs_elsewhere(live: &LiveCalls, call: &str, tab: &str, now: f64) -> bool {
    let made_here = call.strip_prefix(tab).is_some_and(|rest| rest.starts_with('/'));
    !made_here && live.get(call).is_some_and(|started| now - started < LONGEST_CALL_MS)
}

/// This tab's name: kept across its reloads, not given to a copy of it (which names itself).
fn this_tab() -> String {
    let Some(window) = web_sys::window().filter(|_| cfg!(target_arch = "wasm32")) else { return String::new() };
    match window.name() {
        Ok(name) if name.starts_with(TAB_NAME) => name,
        _ => {
            let name = format!("{TAB_NAME}{}", new_id());
            let _ = window.set_name(&name);
            name
        }
    }
}

/// `live` without the entries of `calls` and without stale ones.
pub fn without(mut live: LiveCalls, calls: &[String], now: f64) -> LiveCalls {
    live.retain(|id, started| !calls.contains(id) && now - *started < LONGEST_CALL_MS);
    live
}

thread_local! {
    /// This page's running calls (removed from the list when the page goes).
    static OWN: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// The page is going away (`pagehide` came, no `pageshow` since).
    static GOING: Cell<bool> = const { Cell::new(false) };
}

fn read() -> LiveCalls {
    local::get(KEY).unwrap_or_default()
}

fn remove(calls: &[String]) {
    local::set(KEY, &without(read(), calls, now_ms()));
}

/// Lists a call that starts now; returns its id, for [`end`] and for the tab's saved state.
pub fn begin() -> String {
    let id = format!("{}/{}", this_tab(), new_id());
    OWN.with_borrow_mut(|own| own.push(id.clone()));
    let mut live = without(read(), &[], now_ms());
    live.insert(id.clone(), now_ms());
    local::set(KEY, &live);
    id
}

/// The call `id` ended (finished, failed or stopped).
pub fn end(id: &str) {
    OWN.with_borrow_mut(|own| own.retain(|own| own != id));
    remove(&[id.to_owned()]);
}

/// Whether the call a tab saved as running (`call`, None when saved by an older version) runs
/// on in another tab; false means this tab's reload cut it short.
pub fn running_elsewhere(call: Option<&str>) -> bool {
    call.is_some_and(|call| runs_elsewhere(&read(), call, &this_tab(), now_ms()))
}

/// Whether the page is going away (a reload, a close, a navigation elsewhere). Its calls then
/// fail as the browser aborts them, and what a page saves for the next one must not record
/// that as their end: the next page is to say they were cut short.
pub fn page_is_going() -> bool {
    GOING.get()
}

/// Once, at the app's start (so that its `pagehide` listener comes first: the browser has
/// aborted the page's calls by then, and their failures are handled as soon as any listener
/// returns): notes when the page goes, and takes its calls off the list then.
pub fn watch_page() {
    if !cfg!(target_arch = "wasm32") {
        return;
    }
    // Both kept for the page's life: the handles are never removed.
    let _hide = leptos::prelude::window_event_listener(leptos::ev::pagehide, |_| {
        GOING.set(true);
        remove(&OWN.with_borrow(Clone::clone));
    });
    // Back from the back/forward cache: the page lives on.
    let _show = leptos::prelude::window_event_listener(leptos::ev::pageshow, |_| GOING.set(false));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listed_call_of_another_tab_runs_there_until_it_is_old_enough_to_be_a_crashed_pages() {
        let live = LiveCalls::from([("t1/a".to_owned(), 1_000.0), ("t1/b".to_owned(), 1_000.0)]);
        assert!(runs_elsewhere(&live, "t1/a", "t2", 2_000.0), "this tab is a copy of t1");
        assert!(!runs_elsewhere(&live, "t1/a", "t1", 2_000.0), "t1 reloaded: its own call, cut short");
        assert!(runs_elsewhere(&live, "t1/a", "t", 2_000.0), "a name that is a prefix of another's is not it");
        assert!(!runs_elsewhere(&live, "t1/c", "t2", 2_000.0), "not listed: it ended, or its page went");
        assert!(!runs_elsewhere(&live, "t1/a", "t2", 1_000.0 + LONGEST_CALL_MS), "left by a page that crashed");
    }

    #[test]
    fn removing_calls_drops_them_and_stale_entries_only() {
        let live = LiveCalls::from([("a".to_owned(), 10.0), ("b".to_owned(), 20.0), ("old".to_owned(), -LONGEST_CALL_MS)]);
        let left = without(live, &["a".to_owned()], 30.0);
        assert_eq!(left.into_keys().collect::<Vec<_>>(), ["b"]);
    }
}
