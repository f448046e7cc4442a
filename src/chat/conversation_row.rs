//! One row of the conversation list: the title (up to two lines, the whole of it on hover), the
//! "answering…" note while its answer is written, and its actions in a menu.
use leptos::{html, prelude::*};

use super::{row_menu::RowMenu, state::ChatState};
use crate::components::focus_next_frame;

/// The row of conversation `id`. `renaming` is the conversation being renamed (one at a time);
/// `answering` the one whose answer is under way.
#[component]
pub fn ConversationRow(
    id: String,
    title: String,
    renaming: RwSignal<Option<String>>,
    #[prop(into)] answering: Signal<Option<String>>,
) -> impl IntoView {
    let state = expect_context::<ChatState>();
    let selected = {
        let id = id.clone();
        move || state.current.get().as_deref() == Some(id.as_str())
    };
    let editing = {
        let id = id.clone();
        move || renaming.get().as_deref() == Some(id.as_str())
    };
    let streaming = {
        let id = id.clone();
        move || answering.with(|a| a.as_deref() == Some(id.as_str()))
    };
    let streaming_mark = {
        let streaming = streaming.clone();
        move || streaming().then_some("true")
    };
    // After a rename (or its cancel) the focus goes back to the row's title.
    let title_selector = format!(".conversation[data-id=\"{id}\"] .conversation-title");
    let on_rename = {
        let id = id.clone();
        Callback::new(move |()| renaming.set(Some(id.clone())))
    };
    // After a delete the focus goes to Undo, where a keyboard user can take it back.
    let on_delete = {
        let id = id.clone();
        Callback::new(move |()| {
            state.delete(&id);
            focus_next_frame(vec!["#undo-delete"]);
        })
    };
    let (select_id, save_id) = (id.clone(), id.clone());
    let original = title.clone();
    let menu_title = title.clone();
    view! {
        <li class="conversation" class:selected=selected data-id=id.clone() data-streaming=streaming_mark>
            <Show when=editing.clone() fallback=move || {
                let select_id = select_id.clone();
                let title = title.clone();
                let full_title = title.clone();
                view! { <button type="button" class="conversation-title link" title=full_title on:click=move |_| state.current.set(Some(select_id.clone()))>{title}</button> }
            }>
                {
                    let save_id = save_id.clone();
                    let original = original.clone();
                    let title_selector = title_selector.clone();
                    let input = NodeRef::<html::Input>::new();
                    // Rename puts the focus in the field, its text selected.
                    Effect::new(move |_| {
                        if let Some(input) = input.get() {
                            let _ = input.focus();
                            input.select();
                        }
                    });
                    view! {
                        <input class="rename-input" node_ref=input value=original.clone() aria-label="New title"
                            on:keydown=move |e| {
                                if e.key() == "Enter" {
                                    let title = event_target_value(&e).trim().to_owned();
                                    if !title.is_empty() {
                                        state.modify(&save_id, |c| c.title = title);
                                    }
                                    renaming.set(None);
                                    focus_next_frame(vec![title_selector.clone()]);
                                } else if e.key() == "Escape" {
                                    renaming.set(None);
                                    focus_next_frame(vec![title_selector.clone()]);
                                }
                            }/>
                    }
                }
            </Show>
            <Show when=streaming>
                <span class="answering" title="The answer is still being written">"answering…"</span>
            </Show>
            <RowMenu title=menu_title on_rename on_delete/>
        </li>
    }
}
