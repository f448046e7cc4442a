//! The Images page: create or edit images, the results, and the history kept on this device.
use leptos::prelude::*;

use super::{
    create_form::CreateForm,
    edit_form::EditForm,
    history_list::HistoryList,
    lightbox::Lightbox,
    state::{ImagesState, Tab},
};
use crate::{
    api::use_api,
    components::{refuse_stray_drops, tab_panel_id, Loading, TabList},
    keys::AccessError,
};

/// Tabs for the two forms (both stay mounted, so switching keeps what was typed), the history
/// and the full-size view. The state is the app's: a generation started here finishes, and is
/// kept, while other pages are shown.
#[component]
pub fn ImagesPage() -> impl IntoView {
    crate::components::use_page_title(|| vec!["Images".into()]);
    let state = expect_context::<ImagesState>();
    state.open();
    // The full-size view belongs to this visit: coming back shows the page, not the old view.
    on_cleanup(move || state.lightbox.set(None));
    refuse_stray_drops();
    let api = use_api();
    let models = LocalResource::new(move || {
        let api = api.clone();
        async move { api.list_image_models().await }
    });
    let model_list = Signal::derive(move || models.get().and_then(Result::ok).unwrap_or_default());
    let tabs = vec![(Tab::Create, "tab-create", "Create"), (Tab::Edit, "tab-edit", "Edit")];

    view! {
        <section class="images">
            <h1>"Images"</h1>
            <TabList label="Create or edit" tabs selected=state.tab/>
            {move || match models.get() {
                None => Some(view! { <Loading what="Loading the image models"/> }.into_any()),
                Some(Err(error)) => Some(view! { <AccessError error needed="models"/> }.into_any()),
                Some(Ok(list)) if list.is_empty() => Some(view! { <p class="muted">"This endpoint offers no image models."</p> }.into_any()),
                Some(Ok(_)) => None,
            }}
            <div class="tab-panel" role="tabpanel" id=tab_panel_id("tab-create") aria-labelledby="tab-create" hidden=move || state.tab.get() != Tab::Create>
                <CreateForm models=model_list/>
            </div>
            <div class="tab-panel" role="tabpanel" id=tab_panel_id("tab-edit") aria-labelledby="tab-edit" hidden=move || state.tab.get() != Tab::Edit>
                <EditForm models=model_list/>
            </div>
            <HistoryList/>
            <Lightbox/>
        </section>
    }
}
