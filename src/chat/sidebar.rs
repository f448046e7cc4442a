//! The conversation list: search, new, grouped by date, rename and delete (with undo) from each
//! row's menu, export and import.
use leptos::{prelude::*, task::spawn_local};

use super::{conversation_row::ConversationRow, date_groups, export, state::ChatState};
use crate::{
    components::{
        file_io::{download, file_name_from, files, read_text},
        FileButton,
    },
    work::clock,
};

/// How far local time is ahead of UTC, in minutes.
fn local_utc_offset_minutes() -> i32 {
    -(js_sys::Date::new_0().get_timezone_offset() as i32)
}

/// Moves `day` on at every local midnight (a second after, so the clock is surely past it),
/// until the list that reads it is gone.
fn count_days(day: RwSignal<u32>) {
    let wait = date_groups::ms_until_next_day(clock::now_ms(), local_utc_offset_minutes()) + 1_000.0;
    set_timeout(
        move || {
            if day.try_update(|n| *n += 1).is_some() {
                count_days(day);
            }
        },
        std::time::Duration::from_millis(wait as u64),
    );
}

/// The sidebar.
#[component]
pub fn Sidebar(#[prop(into)] default_model: Signal<String>) -> impl IntoView {
    let state = expect_context::<ChatState>();
    let search = RwSignal::new(String::new());
    let renaming = RwSignal::new(None::<String>);
    let import_error = RwSignal::new(None::<String>);
    // The conversation whose answer is under way (it goes on while other pages are shown):
    // its row says so. A memo, so the list does not react to every delta.
    let answering = Memo::new(move |_| state.live.with(|live| live.as_ref().map(|l| l.conversation_id.clone())));
    // The conversations shown (those matching the search) in their date groups, decided again
    // when the list changes and at each local midnight (a tab left open overnight).
    let day = RwSignal::new(0u32);
    count_days(day);
    let groups = Memo::new(move |_| {
        let needle = search.get();
        day.track();
        let utc_offset_minutes = local_utc_offset_minutes();
        state.conversations.with(|all| {
            let shown = all.iter().filter(|c| c.matches(&needle)).map(|c| ((c.id.clone(), c.title.clone()), c.updated_ms));
            date_groups::grouped(shown, clock::now_ms(), utc_offset_minutes)
        })
    });

    let export_all =
        move |_| download("xai-web-conversations.json", "application/json", &export::to_json(&state.conversations.get_untracked()));
    let export_current = move |markdown: bool| {
        if let Some(conversation) = state.current_conversation() {
            if markdown {
                download(&file_name_from(&conversation.title, "md"), "text/markdown", &export::to_markdown(&conversation));
            } else {
                download(&file_name_from(&conversation.title, "json"), "application/json", &export::to_json(&[conversation]));
            }
        }
    };
    let import = move |event: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&event);
        for file in files(input.files()) {
            spawn_local(async move {
                match read_text(&file).await.and_then(|text| export::from_json(&text).map_err(|e| e.to_string())) {
                    Ok(conversations) => {
                        import_error.set(None);
                        state.import(conversations);
                    }
                    Err(error) => import_error.set(Some(format!("“{}”: {error}", file.name()))),
                }
            });
        }
        input.set_value("");
    };

    view! {
        <aside class="sidebar" aria-label="Conversations">
            <button type="button" id="new-chat" title="New chat (Alt+N)" on:click=move |_| {
                state.create(default_model.get_untracked());
            }>"+ New chat"</button>
            <input type="search" id="chat-search" placeholder="Search chats" on:input=move |e| search.set(event_target_value(&e))/>
            {move || state.deleted.get().map(|deleted| view! {
                <p class="undo" role="status">"Deleted “" {deleted.title.clone()} "”. "
                    <button type="button" class="link" id="undo-delete" on:click=move |_| state.undo_delete()>"Undo"</button>
                </p>
            })}
            // Grouped by date (newest first); each group a list of its own under its heading.
            // Busy while the list is read from the device or a change is being saved.
            <div class="conversation-list" aria-busy=move || (!state.loaded.get() || state.writes_in_flight.get() > 0).to_string()>
                <For each=move || groups.get() key=|(group, _)| *group let:group>
                    {
                        let (group, _) = group;
                        let heading_id = format!("chat-group-{}", group.label().to_lowercase().replace(' ', "-"));
                        let rows = Memo::new(move |_| groups.with(|all| all.iter().find(|(g, _)| *g == group).map(|(_, rows)| rows.clone()).unwrap_or_default()));
                        view! {
                            <section class="conversation-group">
                                <h2 class="conversation-group-label" id=heading_id.clone()>{group.label()}</h2>
                                <ul aria-labelledby=heading_id>
                                    <For each=move || rows.get() key=|(id, title)| format!("{id}\u{1f}{title}") let:row>
                                        {
                                            let (id, title) = row;
                                            view! { <ConversationRow id title renaming answering/> }
                                        }
                                    </For>
                                </ul>
                            </section>
                        }
                    }
                </For>
            </div>
            <details class="export">
                <summary>"Export / import"</summary>
                <button type="button" class="link" id="export-all" on:click=export_all>"All chats (JSON)"</button>
                <button type="button" class="link" id="export-json" on:click=move |_| export_current(false)>"This chat (JSON)"</button>
                <button type="button" class="link" id="export-markdown" on:click=move |_| export_current(true)>"This chat (Markdown)"</button>
                <FileButton input_id="import-file" label="Import JSON" accept="application/json,.json" on_change=import/>
                {move || import_error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            </details>
        </aside>
    }
}
