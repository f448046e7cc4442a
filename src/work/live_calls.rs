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
//!
//! Chat keeps its answers in IndexedDB, which every tab shares, not only copies: an answer saved
//! as streaming carries its call's id, so a tab that loads it leaves another tab's stream alone,
//! and marks (and writes) interrupted what its own reload cut short. Each call is a [`LiveCall`]
//! guard: listed while it lives, off the list once dropped, however the call ended.
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

/// Whether `call` (a running call's id, as a tab saved it) was made by the tab named `tab`.
fn made_by(call: &str, tab: &str) -> bool {
    call.strip_prefix(tab).is_some_and(|rest| rest.starts_with('/'))
}

/// Whether `call` (a running call's id, as a tab saved it) still runs, in another tab than
/// `tab` (this one's name).
pub fn runs_elsewhere(live: &LiveCalls, call: &str, tab: &str, now: f64) -> bool {
    !made_by(call, tab) && live.get(call).is_some_and(|started| now - started < LONGEST_CALL_MS)
}

/// What became of a call that some tab saved as running, seen from this tab.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SavedCall {
    /// It runs on in another tab: leave it to that tab.
    RunsElsewhere,
    /// This tab made it: the tab's reload cut it short, and no other tab can end it.
    CutShortHere,
    /// It runs nowhere: another tab ended it (its last save may still be on its way), or it was
    /// saved by a version that kept no id.
    Gone,
}

/// What became of `call` (None: saved without an id), seen from the tab named `tab`.
pub fn saved_call(live: &LiveCalls, call: Option<&str>, tab: &str, now: f64) -> SavedCall {
    match call {
        Some(call) if made_by(call, tab) => SavedCall::CutShortHere,
        Some(call) if runs_elsewhere(live, call, tab, now) => SavedCall::RunsElsewhere,
        _ => SavedCall::Gone,
    }
}

/// What became of `call`, a call some tab saved as running (None: saved without an id).
pub fn what_became_of(call: Option<&str>) -> SavedCall {
    saved_call(&read(), call, &this_tab(), now_ms())
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
    if !cfg!(target_arch = "wasm32") {
        return;
    }
    local::set(KEY, &without(read(), calls, now_ms()));
}

/// A call listed as running for as long as this lives. Dropping it takes the call off the list,
/// whatever ended it: the call finished, failed or was stopped, or its future was dropped (the
/// page went). So no path can leave a call listed by forgetting to end it.
#[must_use = "the call is listed only while its guard lives"]
pub struct LiveCall {
    id: String,
}

impl LiveCall {
    /// Lists a call that starts now.
    pub fn begin() -> Self {
        let id = format!("{}/{}", this_tab(), new_id());
        let mut live = without(read(), &[], now_ms());
        live.insert(id.clone(), now_ms());
        local::set(KEY, &live);
        Self::owned(id)
    }

    /// The page's own call `id` (taken off the list when the page goes).
    fn owned(id: String) -> Self {
        OWN.with_borrow_mut(|own| own.push(id.clone()));
        LiveCall { id }
    }

    /// The call's id, as the tab's saved state names it (see [`running_elsewhere`]).
    pub fn id(&self) -> &str {
        &self.id
    }
}

impl Drop for LiveCall {
    fn drop(&mut self) {
        OWN.with_borrow_mut(|own| own.retain(|own| *own != self.id));
        remove(std::slice::from_ref(&self.id));
    }
}

/// Whether the call a tab saved as running (`call`, None when saved by an older version) runs
/// on in another tab; false means this tab's reload cut it short.
pub fn running_elsewhere(call: Option<&str>) -> bool {
    what_became_of(call) == SavedCall::RunsElsewhere
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

/// Calls `changed` whenever another tab changes the list (one of its calls began or ended), for
/// the page's life.
pub fn on_other_tabs_change(changed: impl Fn() + 'static) {
    if !cfg!(target_arch = "wasm32") {
        return;
    }
    // Kept for the page's life: the handle is never removed.
    let _listening = leptos::prelude::window_event_listener(leptos::ev::storage, move |event| {
        if event.key().as_deref() == Some(KEY) {
            changed();
        }
    });
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
    fn a_saved_call_is_this_tabs_cut_short_another_tabs_running_or_gone() {
        let live = LiveCalls::from([("t1/a".to_owned(), 1_000.0)]);
        assert_eq!(
            saved_call(&live, Some("t1/a"), "t1", 2_000.0),
            SavedCall::CutShortHere,
            "listed still: the old page's pagehide may not have reached the list"
        );
        assert_eq!(saved_call(&live, Some("t1/b"), "t1", 2_000.0), SavedCall::CutShortHere);
        assert_eq!(saved_call(&live, Some("t1/a"), "t2", 2_000.0), SavedCall::RunsElsewhere);
        assert_eq!(saved_call(&live, Some("t1/b"), "t2", 2_000.0), SavedCall::Gone);
        assert_eq!(saved_call(&live, None, "t1", 2_000.0), SavedCall::Gone, "saved by a version without ids");
    }

    #[test]
    fn a_call_stays_the_pages_own_until_its_guard_is_dropped() {
        let own = || OWN.with_borrow(Clone::clone);
        let (first, second) = (LiveCall::owned("t/1".into()), LiveCall::owned("t/2".into()));
        assert_eq!(own(), ["t/1", "t/2"]);
        drop(first);
        assert_eq!(own(), ["t/2"]);
        // A future dropped with its guard (the page went, the run was aborted) ends the call too.
        let future = async move {
            let _call = second;
        };
        drop(future);
        assert!(own().is_empty());
    }

    #[test]
    fn removing_calls_drops_them_and_stale_entries_only() {
        let live = LiveCalls::from([("a".to_owned(), 10.0), ("b".to_owned(), 20.0), ("old".to_owned(), -LONGEST_CALL_MS)]);
        let left = without(live, &["a".to_owned()], 30.0);
        assert_eq!(left.into_keys().collect::<Vec<_>>(), ["b"]);
    }
}
