//! The app shell: settings, the API facade in context, navigation and the routes.
use leptos::prelude::*;

use crate::{
    api::{provide_api, Api},
    chat::ChatPage,
    deploy::{Deployment, EmbedOptions},
    settings::Settings,
    work::AppWork,
};
#[cfg(not(feature = "widget"))]
use crate::{
    components::{NavBar, NotFound, ShortcutSheet, ShortcutSheetOpen},
    pages,
};
#[cfg(not(feature = "widget"))]
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

/// The root component. `deployment` says where the app is served and whether it is the
/// embedded widget, which shows only the chat. The long-running work is created here, under the
/// app's owner, so it outlives every page (see [`crate::work`]). The `widget` build (Cargo
/// feature; what `/embed` is served) is the widget whatever its path, so the console's pages are
/// not in it.
#[component]
pub fn App(deployment: Deployment) -> impl IntoView {
    let settings = Settings::load(&deployment);
    provide_context(settings);
    let api = Api::new(settings).with_max_request_bytes(deployment.config.max_request_bytes());
    provide_api(api);
    #[cfg(not(feature = "widget"))]
    let base = deployment.base.clone();
    let widget = deployment.embed.clone();
    provide_context(deployment);
    // Compiled out of the widget's build: the pages' lazily loaded code is exported for the
    // split, so the linker would keep it even where nothing calls it.
    #[cfg(not(feature = "widget"))]
    if widget.is_none() {
        return console_shell(base);
    }
    widget_shell(widget.unwrap_or_default())
}

/// The chat alone, for a host page's frame. No router: the widget has one page and no links
/// within the app (its errors do not offer Settings, which are the host site's).
fn widget_shell(options: EmbedOptions) -> AnyView {
    AppWork::provide_chat();
    provide_context(options);
    view! { <main class="widget"><ChatPage/></main> }.into_any()
}

/// The console: navigation, every page, the shortcut sheet.
#[cfg(not(feature = "widget"))]
fn console_shell(base: String) -> AnyView {
    AppWork::provide();
    let main = NodeRef::<leptos::html::Main>::new();
    provide_context(ShortcutSheetOpen(RwSignal::new(false)));
    view! {
        <Router base>
            // Before the shell: its key listener must come before the pages' (see the sheet).
            // Beside the shell, which it makes inert while it is open.
            <ShortcutSheet/>
            <div class="shell">
                // First in the tab order: past the navigation to the page's content.
                <a class="skip-link" href="#main" on:click=move |e| {
                    e.prevent_default();
                    if let Some(main) = main.get() {
                        let _ = main.focus();
                    }
                }>"Skip to content"</a>
                <NavBar/>
                <main class="page" id="main" tabindex="-1" node_ref=main>
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=ChatPage/>
                        <Route path=path!("/chat") view=ChatPage/>
                        <Route path=path!("/images") view=pages::images_page/>
                        <Route path=path!("/models") view=pages::models_page/>
                        <Route path=path!("/models/:name") view=pages::model_detail_page/>
                        <Route path=path!("/batches") view=pages::batches_page/>
                        <Route path=path!("/batches/:id") view=pages::batch_detail_page/>
                        <Route path=path!("/keys") view=pages::keys_page/>
                        <Route path=path!("/sample") view=pages::sample_page/>
                        <Route path=path!("/settings") view=pages::settings_page/>
                    </Routes>
                </main>
            </div>
        </Router>
    }
    .into_any()
}
