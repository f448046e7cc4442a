//! The app shell: settings, the API facade in context, navigation and the routes.
use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

use crate::{
    api::Api,
    batches::{BatchDetailPage, BatchesPage},
    chat::ChatPage,
    components::{NavBar, NotFound},
    images::ImagesPage,
    keys::KeysPage,
    models::{ModelDetailPage, ModelsPage},
    sample::SamplePage,
    settings::{Settings, SettingsPage},
};

/// The facade, shared by every page through context (not Send: it lives on the page's thread).
pub type ApiContext = StoredValue<Api, LocalStorage>;

/// The facade from context.
pub fn use_api() -> Api {
    expect_context::<ApiContext>().get_value()
}

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    let settings = Settings::load();
    provide_context(settings);
    provide_context::<ApiContext>(StoredValue::new_local(Api::new(settings)));

    view! {
        <Router>
            <div class="shell">
                <NavBar/>
                <main class="page">
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=ChatPage/>
                        <Route path=path!("/chat") view=ChatPage/>
                        <Route path=path!("/images") view=ImagesPage/>
                        <Route path=path!("/models") view=ModelsPage/>
                        <Route path=path!("/models/:name") view=ModelDetailPage/>
                        <Route path=path!("/batches") view=BatchesPage/>
                        <Route path=path!("/batches/:id") view=BatchDetailPage/>
                        <Route path=path!("/keys") view=KeysPage/>
                        <Route path=path!("/sample") view=SamplePage/>
                        <Route path=path!("/settings") view=SettingsPage/>
                    </Routes>
                </main>
            </div>
        </Router>
    }
}
