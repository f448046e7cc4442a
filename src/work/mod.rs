//! Work that outlives pages: calls in flight, their retries and phase, and the saves they make.
//!
//! A page is disposed when the user goes to another one, and with it every signal it created.
//! Work that must go on (an answer streaming, a sampling run, an image being drawn) therefore
//! lives here, created once under the app's owner; pages borrow it from context and keep only
//! what belongs to one visit (window listeners, scroll position, element references), which
//! their cleanup removes. Batch progress is the exception: polling only shows what the server
//! does anyway, so it belongs to the page that shows it and stops when that page goes.
pub mod clock;
pub mod live_calls;
pub mod phase;
pub mod retry;

use leptos::prelude::*;

use crate::{chat::state::ChatState, images::state::ImagesState, sample::session::SampleSession};

/// The app's long-running work. Copy; each part is also in context on its own.
#[derive(Clone, Copy)]
pub struct AppWork {
    pub chat: ChatState,
    pub sample: SampleSession,
    pub images: ImagesState,
}

impl AppWork {
    /// Creates the work's state under the current owner (the app's, which lives as long as the
    /// page) and provides each part by context. The conversations load now, so the chat list is
    /// ready wherever the app starts; the image history loads on the first visit to Images.
    pub fn provide() -> Self {
        let work = AppWork { chat: Self::provide_chat(), sample: SampleSession::restored(), images: ImagesState::new() };
        provide_context(work.sample);
        provide_context(work.images);
        work
    }

    /// The embedded widget's work: the chat alone. (Also the first part of the app's: the
    /// page's going is watched from here, before anything else listens to it.)
    pub fn provide_chat() -> ChatState {
        live_calls::watch_page();
        let chat = ChatState::new();
        provide_context(chat);
        chat.load();
        chat
    }
}
