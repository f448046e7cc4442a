//! The conversation list: search, new, rename, delete with undo, export and import.
use leptos::{prelude::*, task::spawn_local};

use super::{export, state::ChatState};
use crate::components::file_io::{download, file_name_from, files, read_text};

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
    let shown = Memo::new(move |_| {
        let needle = search.get();
        state.conversations.with(|all| {
            all.iter().filter(|c| c.matches(&needle)).map(|c| (c.id.clone(), c.title.clone())).collect::<Vec<_>>()
        })
    });

    let export_all = move |_| download("xai-web-conversations.json", "application/json", &export::to_json(&state.conversations.get_untracked()));
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
                    Err(error) => import_error.set(Some(format!("{}: {error}", file.name()))),
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
            <ul class="conversation-list" aria-busy=move || (state.writes_in_flight.get() > 0).to_string()>
                <For each=move || shown.get() key=|(id, title)| format!("{id}\u{1f}{title}") let:item>
                    {
                        let (id, title) = item;
                        let selected = { let id = id.clone(); move || state.current.get().as_deref() == Some(id.as_str()) };
                        let editing = { let id = id.clone(); move || renaming.get().as_deref() == Some(id.as_str()) };
                        let streaming = { let id = id.clone(); move || answering.with(|a| a.as_deref() == Some(id.as_str())) };
                        let streaming_mark = { let streaming = streaming.clone(); move || streaming().then_some("true") };
                        let (select_id, rename_id, delete_id, save_id) = (id.clone(), id.clone(), id.clone(), id.clone());
                        let original = title.clone();
                        view! {
                            <li class="conversation" class:selected=selected data-id=id.clone() data-streaming=streaming_mark>
                                <Show when=editing.clone() fallback=move || {
                                    let select_id = select_id.clone();
                                    let title = title.clone();
                                    // The whole title on hover; the row shows up to two lines of it.
                                    let full_title = title.clone();
                                    view! { <button type="button" class="conversation-title link" title=full_title on:click=move |_| state.current.set(Some(select_id.clone()))>{title}</button> }
                                }>
                                    {
                                        let save_id = save_id.clone();
                                        let original = original.clone();
                                        view! {
                                            <input class="rename-input" value=original.clone() aria-label="New title"
                                                on:keydown=move |e| {
                                                    if e.key() == "Enter" {
                                                        let title = event_target_value(&e).trim().to_owned();
                                                        if !title.is_empty() {
                                                            state.modify(&save_id, |c| c.title = title);
                                                        }
                                                        renaming.set(None);
                                                    } else if e.key() == "Escape" {
                                                        renaming.set(None);
                                                    }
                                                }/>
                                        }
                                    }
                                </Show>
                                <Show when=streaming>
                                    <span class="answering" title="The answer is still being written">"answering…"</span>
                                </Show>
                                <button type="button" class="link rename" title="Rename" on:click=move |_| renaming.set(Some(rename_id.clone()))>"Rename"</button>
                                <button type="button" class="link delete" title="Delete" on:click=move |_| state.delete(&delete_id)>"Delete"</button>
                            </li>
                        }
                    }
                </For>
            </ul>
            <details class="export">
                <summary>"Export / import"</summary>
                <button type="button" class="link" id="export-all" on:click=export_all>"All chats (JSON)"</button>
                <button type="button" class="link" id="export-json" on:click=move |_| export_current(false)>"This chat (JSON)"</button>
                <button type="button" class="link" id="export-markdown" on:click=move |_| export_current(true)>"This chat (Markdown)"</button>
                <label class="link">"Import JSON " <input type="file" id="import-file" accept="application/json,.json" on:change=import/></label>
                {move || import_error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            </details>
        </aside>
    }
}
