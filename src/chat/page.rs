//! The Chat page: conversations on the left (a drawer on phones), the thread and the composer on
//! the right. The page is the window's height: only the thread (and the conversation list)
//! scroll, so the composer stays in view at every size (style/chat.css).
use leptos::{html, prelude::*};

use super::{
    composer::{Composer, ModelListError, ModelsState, PickedModel},
    drawer::{ConversationDrawer, Drawer, DrawerToggle},
    follow::Follow,
    model_cache,
    params_panel::ParamsPanel,
    shortcuts::{shortcut, KeyPress, Shortcut},
    sidebar::Sidebar,
    state::ChatState,
    thread::{thread_messages, ThreadMessages},
    widget,
};
use crate::{
    api::use_api,
    components::{refuse_stray_drops, ErrorView},
    deploy::{Deployment, EmbedOptions},
    format,
    work::phase::Phase,
};

/// Messages rendered when a conversation opens (and added per "Show earlier"): long
/// conversations open at once and render their history only on request.
const PAGE_OF_MESSAGES: usize = 60;

/// Whether a key event comes from a form field other than the composer.
fn in_other_field(event: &web_sys::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|element| matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") && element.id() != "chat-prompt")
}

/// The chat page. As the embedded widget (`EmbedOptions` in context) it shows one
/// conversation, without the sidebar and the parameters.
#[component]
pub fn ChatPage() -> impl IntoView {
    crate::components::use_page_title(|| vec!["Chat".into()]);
    let widget_options = use_context::<EmbedOptions>();
    // A constant in the widget's own build, so the console's parts of the page (the list of
    // conversations, the parameters, the head with the drawer) are not linked into it.
    let is_widget = cfg!(feature = "widget") || widget_options.is_some();
    // The model a new chat starts with: the widget's, else the deployment's default.
    let preferred_model =
        widget_options.as_ref().and_then(|w| w.model.clone()).or_else(|| use_context::<Deployment>().and_then(|d| d.config.default_model));
    // The app's chat: an answer keeps streaming (and saving) while other pages are shown, and
    // shows live here again when the page comes back.
    let state = expect_context::<ChatState>();
    let api = use_api();
    // The list this endpoint gave last time is offered while it is asked for again, so a
    // returning visitor can send at once; a failed refresh shows its error, not the old list.
    let cached_models = StoredValue::new(api.endpoint().map(|endpoint| model_cache::load(&endpoint)).unwrap_or_default());
    let models = LocalResource::new(move || {
        let api = api.clone();
        async move {
            let models = api.list_language_models().await;
            if let (Ok(list), Ok(endpoint)) = (&models, api.endpoint()) {
                model_cache::store(&endpoint, list);
            }
            models
        }
    });
    let model_list = Signal::derive(move || match models.get() {
        Some(Ok(list)) => list,
        Some(Err(_)) => Vec::new(),
        None => cached_models.get_value(),
    });
    let models_state = Signal::derive(move || match models.get() {
        None if cached_models.with_value(|cached| !cached.is_empty()) => ModelsState::Ready,
        None => ModelsState::Loading,
        Some(Err(_)) => ModelsState::Failed,
        Some(Ok(list)) if list.is_empty() => ModelsState::Empty,
        Some(Ok(_)) => ModelsState::Ready,
    });
    let models_error = Memo::new(move |_| models.get().and_then(Result::err));
    let model = RwSignal::new(String::new());
    provide_context(PickedModel(model));
    provide_context(ModelListError(models_error));
    // The selected conversation's model, else the first model offered. Only a change of that
    // model (another conversation, a send or Regenerate with another model) overrides a pick.
    let conversation_model = Memo::new(move |_| state.current_conversation().map(|c| c.model).filter(|m| !m.is_empty()));
    Effect::new(move |_| {
        let from_conversation = conversation_model.get();
        let fallback = model_list.with(|all| {
            let preferred =
                preferred_model.as_ref().and_then(|wanted| all.iter().find(|m| &m.name == wanted || m.aliases.contains(wanted)));
            preferred.or(all.first()).map(|m| m.name.clone())
        });
        if let Some(chosen) = from_conversation.or_else(|| model.get_untracked().is_empty().then_some(fallback).flatten()) {
            model.set(chosen);
        }
    });

    if let Some(options) = widget_options.clone() {
        widget::open_conversation(state, options, model);
    }
    let new_chat = {
        let options = widget_options.clone();
        move || match &options {
            Some(options) => widget::start_conversation(state, options, model.get_untracked()),
            None => {
                state.create(model.get_untracked());
            }
        }
    };
    // On the window, so the shortcuts work wherever the focus is (after clicking Send it is on
    // the disabled button, i.e. nowhere).
    let shortcuts = window_event_listener(leptos::ev::keydown, {
        let new_chat = new_chat.clone();
        move |e| {
            let key = e.key();
            let code = e.code();
            let press = KeyPress {
                key: &key,
                code: &code,
                alt: e.alt_key(),
                ctrl: e.ctrl_key(),
                meta: e.meta_key(),
                in_other_field: in_other_field(&e),
            };
            match shortcut(press) {
                Some(Shortcut::NewChat) => {
                    e.prevent_default();
                    new_chat();
                }
                Some(Shortcut::Stop) => state.stop(),
                None => {}
            }
        }
    });
    refuse_stray_drops();

    // Auto-scroll: follow the stream only while the reader is at the bottom. The scroll waits
    // for the next frame, when the markdown of this delta is in the page. The thread scrolls
    // itself at every width, in the page and in the widget.
    let thread = NodeRef::<html::Div>::new();
    let follow = StoredValue::new(Follow::default());
    Effect::new(move |_| {
        state.current.track();
        follow.update_value(Follow::restart);
    });
    Effect::new(move |_| {
        if state.phase.with(|phase| *phase == Phase::Waiting) {
            follow.update_value(Follow::restart);
        }
    });
    // One scroll per change however many effects it wakes: each scroll reads the layout. The
    // live answer changes at most once per frame, in an animation frame callback (session.rs);
    // a microtask runs after the effects that patch the answer's DOM and before the frame is
    // drawn, so the frame shows the grown answer already scrolled to the bottom.
    let scroll_scheduled = StoredValue::new(false);
    // The messages' code may come after the page (thread.rs): they scroll once they are there.
    let mounted = RwSignal::new(false);
    Effect::new(move |_| {
        state.live.track();
        state.current.track();
        mounted.track();
        if scroll_scheduled.get_value() {
            return;
        }
        scroll_scheduled.set_value(true);
        // The page may have been left meanwhile (the answer streams on): then this page's
        // values are gone and there is nothing to scroll.
        queue_microtask(move || {
            if scroll_scheduled.try_set_value(false).is_some() {
                return;
            }
            if let Some(element) =
                thread.try_get_untracked().flatten().filter(|_| follow.try_with_value(Follow::following).unwrap_or(false))
            {
                element.set_scroll_top(element.scroll_height());
                let top = element.scroll_top();
                follow.update_value(|f| f.scrolled_by_page(top));
            }
        });
    });
    let on_scroll = move || {
        let Some(element) = thread.try_get_untracked().flatten() else { return };
        follow.update_value(|f| f.on_scroll(element.scroll_top(), element.scroll_height(), element.client_height()));
    };
    // Window listeners outlive the page unless removed: Esc or Alt+N on another page must not
    // reach this page's disposed state.
    on_cleanup(move || shortcuts.remove());
    let drawer = Drawer::new();

    let current = Memo::new(move |_| state.current_conversation());
    let shown = RwSignal::new(PAGE_OF_MESSAGES);
    // The messages on screen: the newest `shown` of the conversation. Only their ids matter to
    // the list; each bubble reads its own content.
    let visible = Memo::new(move |_| {
        current.with(|c| {
            c.as_ref().map_or_else(Vec::new, |c| {
                let first = c.messages.len().saturating_sub(shown.get());
                c.messages[first..].to_vec()
            })
        })
    });
    let hidden = Memo::new(move |_| current.with(|c| c.as_ref().map_or(0, |c| c.messages.len().saturating_sub(shown.get()))));
    let last_id = Memo::new(move |_| current.with(|c| c.as_ref().and_then(|c| c.messages.last().map(|m| m.id.clone()))));
    Effect::new(move |_| {
        state.current.track();
        shown.set(PAGE_OF_MESSAGES);
    });
    view! {
        <section class="chat" class:chat-widget=is_widget>
            {(!is_widget).then(|| view! { <ConversationDrawer drawer><Sidebar default_model=model/></ConversationDrawer> })}
            <div class="chat-main">
                {widget_options.clone().map(|options| view! {
                    <header class="chat-head widget-head">
                        <h1 class="chat-title">{options.title.clone()}</h1>
                        <button type="button" id="widget-new-chat" class="link" on:click={
                            let new_chat = new_chat.clone();
                            move |_| new_chat()
                        }>"New chat"</button>
                    </header>
                })}
                {move || state.storage_error.get().map(|e| view! { <p class="field-error" role="alert">{e} " Your chats stay in this tab."</p> })}
                {move || state.sync.notice.get().map(|notice| view! { <p class="storage-notice" role="status">{notice}</p> })}
                {(!is_widget).then(|| view! {
                    // Always there, with or without a conversation: on phones it holds the button
                    // that opens the conversation list.
                    <header class="chat-head">
                        <DrawerToggle drawer/>
                        {move || current.get().map(|c| {
                            let total = c.total_cost_ticks();
                            view! {
                                <h1 class="chat-title" title=c.title.clone()>{c.title.clone()}</h1>
                                <span class="total-cost" title="Cost of every answer in this chat">"Total: " {format::cost(total)}</span>
                            }
                        })}
                    </header>
                })}
                {(!is_widget).then(|| view! { <ParamsPanel/> })}
                <div class="thread" node_ref=thread
                    on:wheel=move |e| follow.update_value(|f| f.on_wheel(e.delta_y()))
                    on:scroll=move |_| on_scroll()>
                    <Show when=move || { hidden.get() > 0 }>
                        <button type="button" class="link show-earlier" on:click=move |_| shown.update(|n| *n += PAGE_OF_MESSAGES)>
                            {move || format!("Show earlier messages ({} more)", hidden.get())}
                        </button>
                    </Show>
                    {thread_messages(ThreadMessages { state, visible, last_id, mounted })}
                    <Show when=move || state.loaded.get() && current.with(|c| c.as_ref().is_none_or(|c| c.messages.is_empty()))>
                        <p class="empty">"Ask something to start a chat. Your chats are kept on this device."</p>
                    </Show>
                </div>
                <p class="phase" data-phase=move || state.phase.get().name() aria-live="polite">
                    {move || match state.phase.get() {
                        Phase::Waiting => "Waiting for the first token …".to_owned(),
                        phase @ (Phase::Retrying { .. } | Phase::RateLimited { .. }) => phase.retry_notice().unwrap_or_default(),
                        Phase::Streaming => "Streaming …".to_owned(),
                        Phase::Stopped => "Stopped: the partial answer is kept.".to_owned(),
                        _ => String::new(),
                    }}
                </p>
                // A failed answer shows its error in its bubble; this is the model list's.
                {move || models_error.get().map(|error| view! { <ErrorView error/> })}
                <Composer models=model_list models_state model/>
            </div>
        </section>
    }
}
