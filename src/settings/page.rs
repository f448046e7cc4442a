//! The Settings page: endpoint, API key, theme, and a connection check.
use leptos::prelude::*;

use super::{ApiKeySecret, Settings, Theme};
use crate::{api::endpoint, api::use_api, components::ErrorView, deploy::Deployment};

/// Settings form. Changes apply at once; nothing is sent until the user checks the connection.
#[component]
pub fn SettingsPage() -> impl IntoView {
    crate::components::use_page_title(|| vec!["Settings".into()]);
    let settings = expect_context::<Settings>();
    let deployment = expect_context::<Deployment>();
    let api = use_api();
    let endpoint_error = move || {
        let entered = settings.endpoint_input.get();
        (!entered.trim().is_empty()).then(|| endpoint::normalize(&entered).err()).flatten().map(|e| e.to_string())
    };
    let check = Action::new_local(move |_: &()| {
        let api = api.clone();
        async move { api.get_api_key().await }
    });
    let key_text = settings.key.get_untracked().map(|key| key.expose().to_owned()).unwrap_or_default();

    view! {
        <section class="settings">
            <h1>"Settings"</h1>
            <form class="form" on:submit=move |event| {
                event.prevent_default();
                check.dispatch(());
            }>
                <label for="endpoint">"Endpoint"</label>
                <input id="endpoint" type="url" placeholder=settings.default_endpoint()
                    prop:value=move || settings.endpoint_input.get()
                    on:input=move |event| settings.endpoint_input.set(event_target_value(&event))/>
                <small>"Leave empty to use the deployment's endpoint: " {settings.default_endpoint()} "."</small>
                {deployment.config_error.clone().map(|message| view! { <p class="field-error" role="alert">{message}</p> })}
                {move || endpoint_error().map(|message| view! { <p class="field-error" role="alert">{message}</p> })}

                <label for="api-key">"API key"</label>
                <input id="api-key" type="password" autocomplete="off" spellcheck="false" value=key_text
                    placeholder="xai-… (optional when the gateway holds a key)"
                    on:input=move |event| {
                        let typed = event_target_value(&event);
                        let typed = typed.trim();
                        settings.key.set((!typed.is_empty()).then(|| ApiKeySecret::new(typed.to_owned())));
                    }/>
                <label class="inline">
                    <input id="remember-key" type="checkbox"
                        prop:checked=move || settings.remember_key.get()
                        on:change=move |event| settings.remember_key.set(event_target_checked(&event))/>
                    "Remember on this device"
                </label>
                <small>"Otherwise the key is kept in memory only and forgotten when the tab closes."</small>

                <label for="theme">"Theme"</label>
                <select id="theme" on:change=move |event| settings.theme.set(Theme::parse(&event_target_value(&event)))>
                    {[Theme::System, Theme::Light, Theme::Dark]
                        .into_iter()
                        .map(|theme| view! {
                            <option value=theme.as_str() selected=move || settings.theme.get() == theme>
                                {theme.as_str()}
                            </option>
                        })
                        .collect_view()}
                </select>

                <label for="idle-limit">"Stream idle limit (seconds)"</label>
                <input id="idle-limit" type="number" min="1" max="3600"
                    prop:value=move || settings.idle_limit_secs.get().to_string()
                    on:change=move |event| {
                        if let Ok(seconds) = event_target_value(&event).trim().parse::<u32>() {
                            settings.idle_limit_secs.set(seconds.clamp(1, 3600));
                        }
                    }/>
                <small>"A stream that sends nothing for this long ends as an error instead of hanging."</small>

                <button type="submit" id="check-connection">"Check connection"</button>
            </form>
            <div class="check-result">
                {move || check.value().get().map(|result| match result {
                    Ok(key) => view! {
                        <p class="ok" role="status">
                            "Connected: key “" {key.name} "” (" {key.redacted_api_key} "), permissions: "
                            {key.acls.join(", ")}
                        </p>
                    }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                })}
            </div>
        </section>
    }
}
