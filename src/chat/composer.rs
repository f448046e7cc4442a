//! The composer: text, images, model, streaming toggle; Enter sends, Shift+Enter adds a line,
//! Esc stops.
use leptos::{prelude::*, task::spawn_local};

use super::{
    attachments,
    conversation::Attachment,
    drafts::{load_draft, save_draft},
    state::ChatState,
};
use crate::{
    api::use_api,
    api::RequestKind,
    components::{
        file_io::{files, read_data_url},
        FileButton,
    },
    error::AppError,
    proto::{LanguageModel, Modality},
};

/// The model picked in the composer now, shared with the messages (Regenerate uses it).
#[derive(Clone, Copy)]
pub struct PickedModel(pub RwSignal<String>);

/// Why the list of models could not be loaded (None: it could, or not yet). A failed answer
/// with the same cause does not repeat it.
#[derive(Clone, Copy)]
pub struct ModelListError(pub Memo<Option<AppError>>);

impl ModelListError {
    /// Whether `error` is the same failure as the model list's (same code, same kind).
    pub fn same_cause(&self, error: &AppError) -> bool {
        self.0.with(|list| list.as_ref().is_some_and(|list| list.same_cause(error)))
    }
}

/// Where the list of models stands, for the picker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModelsState {
    Loading,
    Ready,
    /// The endpoint offers no language model.
    Empty,
    /// The list could not be loaded (the page shows why, once).
    Failed,
}

/// The composer. `models` are the language models; `model` the one selected.
#[component]
pub fn Composer(
    #[prop(into)] models: Signal<Vec<LanguageModel>>,
    #[prop(into)] models_state: Signal<ModelsState>,
    model: RwSignal<String>,
) -> impl IntoView {
    let state = expect_context::<ChatState>();
    let api = StoredValue::new_local(use_api());
    let prompt = RwSignal::new(String::new());
    // Each conversation keeps its unsent text (across pages and reloads); "" before any exists.
    // Text typed before any conversation was open (the saved chats not read yet) stays when the
    // first one opens, unless that one has a draft of its own.
    Effect::new(move |previous: Option<bool>| {
        let key = state.current.get().unwrap_or_default();
        let draft = load_draft(&key);
        let typed_before = previous == Some(false) && !prompt.get_untracked().is_empty();
        if typed_before && draft.is_empty() {
            save_draft(&key, &prompt.get_untracked());
        } else {
            prompt.set(draft);
        }
        !key.is_empty()
    });
    let streaming = RwSignal::new(true);
    let pending = RwSignal::new(Vec::<Attachment>::new());
    let attach_error = RwSignal::new(None::<String>);
    let takes_images = move || {
        let chosen = model.get();
        models.with(|all| all.iter().any(|m| m.name == chosen && m.input_modalities().any(|i| i == Modality::Image)))
    };

    let add_files = move |list: Vec<web_sys::File>| {
        for file in list {
            let already = pending.with_untracked(Vec::len);
            let checked =
                attachments::check(&file.name(), &file.type_(), file.size() as u64, already, &model.get_untracked(), takes_images());
            if let Err(error) = checked {
                attach_error.set(Some(error.to_string()));
                continue;
            }
            attach_error.set(None);
            spawn_local(async move {
                let read = read_data_url(&file).await.map_err(|error| format!("{}: {error}", file.name()));
                match read.and_then(|data_url| attachments::attachment_from(&file.name(), &data_url).map_err(|e| e.to_string())) {
                    Ok(attachment) => pending.update(|p| p.push(attachment)),
                    Err(error) => attach_error.set(Some(error)),
                }
            });
        }
    };
    let send = move || {
        let text = prompt.get_untracked();
        if text.trim().is_empty() || state.phase.get_untracked().busy() {
            return;
        }
        // Refused here, clearly, rather than by the service after the message is in the chat.
        if let Err(error) = attachments::check_send(pending.with_untracked(Vec::len), &model.get_untracked(), takes_images()) {
            attach_error.set(Some(format!("{error}, or remove the images")));
            return;
        }
        // The gateway refuses a request over its size limit, earlier turns' images included:
        // say so now, before the message joins the conversation.
        let conversation =
            state.current.get_untracked().and_then(|id| state.conversations.with_untracked(|all| all.iter().find(|c| c.id == id).cloned()));
        let request =
            pending.with_untracked(|images| attachments::turn_request(conversation.as_ref(), &text, images, &model.get_untracked()));
        if let Err(error) = api.get_value().check_size(&request, RequestKind::ChatTurn) {
            attach_error.set(Some(error.detail));
            return;
        }
        attach_error.set(None);
        save_draft(&state.current.get_untracked().unwrap_or_default(), "");
        state.send(api.get_value(), text, pending.get_untracked(), model.get_untracked(), streaming.get_untracked());
        prompt.set(String::new());
        pending.set(Vec::new());
    };

    view! {
        <form class="composer" on:submit=move |e| { e.prevent_default(); send(); }
            on:dragover=move |e| e.prevent_default()
            on:drop=move |e: leptos::ev::DragEvent| {
                e.prevent_default();
                add_files(files(e.data_transfer().and_then(|d| d.files())));
            }>
            <div class="thumbs">
                {move || pending.get().into_iter().enumerate().map(|(index, a)| view! {
                    <span class="thumb-wrap">
                        <img class="thumb" src=a.data_url alt=a.name.clone()/>
                        <button type="button" class="link" aria-label=format!("Remove {}", a.name) on:click=move |_| pending.update(|p| { p.remove(index); })>"×"</button>
                    </span>
                }).collect_view()}
            </div>
            {move || attach_error.get().map(|e| view! { <p class="field-error" id="attach-error" role="alert">{e}</p> })}
            <textarea id="chat-prompt" rows="3" placeholder="Ask anything (Enter sends, Shift+Enter for a new line, Esc stops)"
                prop:value=move || prompt.get()
                on:input=move |e| {
                    let text = event_target_value(&e);
                    save_draft(&state.current.get_untracked().unwrap_or_default(), &text);
                    prompt.set(text);
                }
                on:paste=move |e: leptos::ev::ClipboardEvent| {
                    let pasted = files(e.clipboard_data().and_then(|d| d.files()));
                    if !pasted.is_empty() {
                        e.prevent_default();
                        add_files(pasted);
                    }
                }
                on:keydown=move |e| {
                    // Esc (stop) is the page's shortcut, handled on the window.
                    if e.key() == "Enter" && !e.shift_key() && !e.is_composing() {
                        e.prevent_default();
                        send();
                    }
                }></textarea>
            <div class="actions">
                // Until the list is there the picker says where it stands, never an empty box.
                <Show when=move || models_state.get() == ModelsState::Ready fallback=move || view! {
                    <span class="model-state" data-state=move || format!("{:?}", models_state.get()).to_lowercase()>
                        {move || match models_state.get() {
                            ModelsState::Failed => "No models: the list could not be loaded",
                            ModelsState::Empty => "This endpoint offers no chat models",
                            _ => "Loading models …",
                        }}
                    </span>
                }>
                <select id="chat-model" aria-label="Model" on:change=move |e| model.set(event_target_value(&e))>
                    {move || models.get().into_iter().map(|m| {
                        let name = m.name.clone();
                        let vision = if m.input_modalities().any(|i| i == Modality::Image) { ", vision" } else { "" };
                        let label = format!(
                            "{} ({} ctx{vision}; {} in, {} out per 1M tokens)",
                            m.name,
                            crate::format::tokens(i64::from(m.max_prompt_length)),
                            crate::format::dollars(m.prompt_text_token_price as f64 / 1e4),
                            crate::format::dollars(m.completion_text_token_price as f64 / 1e4),
                        );
                        view! { <option value=name.clone() selected=move || model.get() == name>{label}</option> }
                    }).collect_view()}
                </select>
                </Show>
                <label class="inline"><input id="chat-stream" type="checkbox" prop:checked=move || streaming.get()
                    on:change=move |e| streaming.set(event_target_checked(&e))/>"Stream"</label>
                <FileButton input_id="chat-attach" label="Attach image" class="link attach" accept=attachments::ACCEPTED_TYPES.join(",") multiple=true
                    on_change=move |e| {
                        let input: web_sys::HtmlInputElement = event_target(&e);
                        add_files(files(input.files()));
                        input.set_value("");
                    }/>
                <button id="chat-send" type="submit" disabled=move || state.phase.get().busy()>"Send"</button>
                <button id="chat-stop" type="button" disabled=move || !state.phase.get().busy() on:click=move |_| state.stop()>"Stop"</button>
            </div>
        </form>
    }
}
