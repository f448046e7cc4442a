//! What a failed answer says, once and in its own bubble: the full error (what happened, what to
//! do, the code under "Details") right after the failure; only a pointer when the model list
//! above the composer already reports the same cause (a bad key fails both); and after a reload,
//! the stored words with the code and the service's text under "Details".
use leptos::prelude::*;
use tonic::Code;

use super::{composer::ModelListError, conversation::MessageStatus, state::ChatState};
use crate::{components::ErrorView, error::code_name};

/// The failure of answer `message_id`, whose stored status is `status`.
#[component]
pub fn FailureNote(message_id: String, #[prop(into)] status: Signal<MessageStatus>) -> impl IntoView {
    let state = expect_context::<ChatState>();
    let model_list = use_context::<ModelListError>();
    move || {
        let just_failed =
            state.failure.with(|failure| failure.as_ref().filter(|(id, _)| *id == message_id).map(|(_, error)| error.clone()));
        match just_failed {
            Some(error) if model_list.is_some_and(|list| list.same_cause(&error)) => view! {
                <p class="status-note failed" role="status">{format!("No answer: {} (see below).", error.title())}</p>
            }
            .into_any(),
            Some(error) => view! { <ErrorView error/> }.into_any(),
            None => match status.get() {
                MessageStatus::Failed { code, message, detail } => view! {
                    <div class="status-note failed">
                        <p>{message}</p>
                        <details class="error-details">
                            <summary>"Details"</summary>
                            <p class="error-code">{format!("{} ({code})", code_name(Code::from(code)))}</p>
                            {(!detail.is_empty()).then(|| view! { <p class="error-detail">{detail}</p> })}
                        </details>
                    </div>
                }
                .into_any(),
                _ => ().into_any(),
            },
        }
    }
}
