//! A user message: text, thumbnails, and a toolbar with Copy and Edit. Edit opens the text in a
//! field (the focus moves there); Cancel or Esc closes it and gives the focus back to Edit;
//! "Send as branch" resends it in a new conversation and puts the focus in the composer.
use leptos::{html, prelude::*};

use super::{conversation::ChatMessage, state::ChatState};
use crate::{
    api::use_api,
    components::{focus_element_next_frame, CopyButton, Icon, ToolButton},
};

/// The composer's text field, by id (it lives in another component).
fn composer_field() -> Option<web_sys::HtmlElement> {
    use wasm_bindgen::JsCast;
    web_sys::window()?.document()?.get_element_by_id("chat-prompt")?.dyn_into().ok()
}

#[component]
pub fn UserMessage(conversation_id: String, message: ChatMessage) -> impl IntoView {
    let state = expect_context::<ChatState>();
    let api = StoredValue::new_local(use_api());
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(message.content.clone());
    let text = message.content.clone();
    let ids = StoredValue::new((conversation_id, message.id.clone()));
    let field = NodeRef::<html::Textarea>::new();
    let edit_button = NodeRef::<html::Button>::new();

    let open = Callback::new(move |()| {
        editing.set(true);
        focus_element_next_frame(move || field.get_untracked().map(Into::into));
    });
    let cancel = Callback::new(move |()| {
        editing.set(false);
        focus_element_next_frame(move || edit_button.get_untracked().map(Into::into));
    });
    let resend = Callback::new(move |()| {
        let edited = draft.get_untracked();
        if !edited.trim().is_empty() {
            let (conversation_id, message_id) = ids.get_value();
            editing.set(false);
            state.branch(api.get_value(), &conversation_id, &message_id, edited);
            focus_element_next_frame(composer_field);
        }
    });
    let copy_text = {
        let text = text.clone();
        Signal::derive(move || text.clone())
    };
    view! {
        <div class="message user" data-id=message.id.clone()>
            <div class="thumbs">
                {message.attachments.iter().map(|a| view! { <img class="thumb" src=a.data_url.clone() alt=a.name.clone()/> }).collect_view()}
            </div>
            <Show when=move || editing.get() fallback=move || view! { <p class="user-text">{text.clone()}</p> }>
                <textarea class="edit-message" rows="3" aria-label="Edit your message" node_ref=field prop:value=move || draft.get()
                    on:input=move |e| draft.set(event_target_value(&e))
                    on:keydown=move |e| if e.key() == "Escape" { e.prevent_default(); cancel.run(()); }></textarea>
                <p class="muted">"Sending starts a branch: this chat stays as it is."</p>
            </Show>
            <div class="message-toolbar" role="toolbar" aria-label="Message actions">
                <Show when=move || editing.get() fallback=move || view! {
                    <CopyButton text=copy_text what="Copy message"/>
                    <ToolButton icon=Icon::Edit label="Edit" class="edit" button_ref=edit_button on_click=open
                        disabled=Signal::derive(move || state.phase.get().busy())/>
                }>
                    <ToolButton icon=Icon::Close label="Cancel" class="cancel-edit" on_click=cancel/>
                    <ToolButton icon=Icon::Send label="Send as branch" class="resend" on_click=resend/>
                </Show>
            </div>
        </div>
    }
}
