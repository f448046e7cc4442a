//! The model and sampling parameters of the playground. Empty fields leave the model's default.
use leptos::prelude::*;

use super::params::SampleParams;
use crate::{api::use_api, components::ErrorView, error::AppError, proto::ModelKind};

/// One number field bound to a parameter.
fn number_field(
    params: RwSignal<SampleParams>,
    id: &'static str,
    label: &'static str,
    attrs: (&'static str, Option<&'static str>, Option<&'static str>),
    get: fn(&SampleParams) -> &String,
    set: fn(&mut SampleParams, String),
) -> impl IntoView {
    let (step, min, max) = attrs;
    view! {
        <label>{label}
            <input type="number" id=id step=step min=min max=max placeholder="default"
                prop:value=move || params.with(|p| get(p).clone())
                on:input=move |e| { let v = event_target_value(&e); params.update(|p| set(p, v)) }/>
        </label>
    }
}

/// The parameters panel; the model list comes from Models.ListModels (language models only).
/// `models_error` receives why the model list could not be loaded (the page then does not
/// repeat the same cause for a run).
#[component]
pub fn ParamsForm(params: RwSignal<SampleParams>, models_error: RwSignal<Option<AppError>>) -> impl IntoView {
    let api = StoredValue::new_local(use_api());
    let models = LocalResource::new(move || {
        let api = api.get_value();
        async move { api.list_models().await }
    });
    Effect::new(move |_| models_error.set(models.get().and_then(Result::err)));
    let names = Memo::new(move |_| {
        models
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|m| m.kind() == ModelKind::Language)
            .map(|m| m.name)
            .collect::<Vec<_>>()
    });
    Effect::new(move |_| {
        if let Some(first) = names.get().first().cloned() {
            params.update(|p| {
                if p.model.is_empty() {
                    p.model = first;
                }
            });
        }
    });

    view! {
        {move || models.get().and_then(Result::err).map(|error| view! { <ErrorView error retry=Callback::new(move |_| models.refetch())/> })}
        <div class="param-grid sample-params">
            <label>"Model"
                <select id="sample-model" on:change=move |e| { let v = event_target_value(&e); params.update(|p| p.model = v) }>
                    {move || names.get().into_iter().map(|name| {
                        let (value, chosen) = (name.clone(), name.clone());
                        view! { <option value=value selected=move || params.with(|p| p.model == chosen)>{name}</option> }
                    }).collect_view()}
                </select>
            </label>
            {number_field(params, "sample-n", "Choices (n)", ("1", Some("1"), Some("10")), |p| &p.n, |p, v| p.n = v)}
            {number_field(params, "sample-temperature", "Temperature", ("0.1", Some("0"), Some("2")), |p| &p.temperature, |p, v| p.temperature = v)}
            {number_field(params, "sample-top-p", "Top p", ("0.05", Some("0"), Some("1")), |p| &p.top_p, |p, v| p.top_p = v)}
            {number_field(params, "sample-max-tokens", "Max tokens", ("1", Some("1"), None), |p| &p.max_tokens, |p, v| p.max_tokens = v)}
            {number_field(params, "sample-seed", "Seed", ("1", None, None), |p| &p.seed, |p, v| p.seed = v)}
            {number_field(params, "sample-frequency-penalty", "Frequency penalty", ("0.1", Some("-2"), Some("2")), |p| &p.frequency_penalty, |p, v| p.frequency_penalty = v)}
            {number_field(params, "sample-presence-penalty", "Presence penalty", ("0.1", Some("-2"), Some("2")), |p| &p.presence_penalty, |p, v| p.presence_penalty = v)}
            <label class="wide">"Stop sequences (one per line)"
                <textarea id="sample-stop-sequences" rows="2" prop:value=move || params.with(|p| p.stop.clone())
                    on:input=move |e| { let v = event_target_value(&e); params.update(|p| p.stop = v) }></textarea>
            </label>
        </div>
    }
}
