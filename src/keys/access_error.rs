//! An error panel that, for PERMISSION_DENIED, says which permission the key lacks.
use leptos::prelude::*;
use leptos_router::components::A;
use tonic::Code;

use super::acl;
use crate::{components::ErrorView, error::AppError};

/// [`ErrorView`], plus the missing ACL when the key was refused. `needed` is the ACL the call
/// needs, as the page knows it.
#[component]
pub fn AccessError(error: AppError, #[prop(optional)] needed: Option<&'static str>) -> impl IntoView {
    let explanation = (error.code == Code::PermissionDenied).then(|| acl::explain_denied(&error.detail, needed));
    view! {
        <div class="access-error">
            {explanation.map(|text| view! {
                <p class="denied-explained" role="note">
                    {text} " " <A href=crate::deploy::href("/settings")>"Use another key in Settings"</A>
                </p>
            })}
            <ErrorView error/>
        </div>
    }
}
