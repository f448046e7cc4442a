//! The fields both forms share: model, number, format, aspect ratio, resolution.
use leptos::prelude::*;

use super::options::{self, ImageParams, ASPECT_RATIOS, FORMATS, RESOLUTIONS};
use crate::{format, proto::ImageGenerationModel};

/// The shared fields, editing `params`. `prefix` keeps element ids unique per form.
#[component]
pub fn ParamsFields(
    params: RwSignal<ImageParams>,
    #[prop(into)] models: Signal<Vec<ImageGenerationModel>>,
    prefix: &'static str,
) -> impl IntoView {
    let id = move |field: &str| format!("{prefix}-{field}");
    view! {
        <div class="image-params">
            <label for=id("model")>"Model"
                <select id=id("model") on:change=move |e| params.update(|p| p.model = event_target_value(&e))>
                    {move || models.get().into_iter().map(|m| {
                        let name = m.name.clone();
                        let label = format!("{} ({} per image)", m.name, format::image_price(m.image_price));
                        view! { <option value=name.clone() selected=move || params.with(|p| p.model == name)>{label}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label for=id("count")>"Number of images"
                <input id=id("count") type="number" min="1" max=options::MAX_COUNT inputmode="numeric"
                    prop:value=move || params.with(|p| p.count.clone())
                    on:input=move |e| params.update(|p| p.count = event_target_value(&e))/>
            </label>
            <label for=id("format")>"Format"
                <select id=id("format") on:change=move |e| params.update(|p| p.format = options::format_from(&event_target_value(&e)))>
                    {FORMATS.iter().map(|(value, label)| {
                        let value = *value;
                        view! { <option value=(value as i32).to_string() selected=move || params.with(|p| p.format == value)>{*label}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label for=id("aspect")>"Aspect ratio"
                <select id=id("aspect") on:change=move |e| params.update(|p| p.aspect_ratio = options::aspect_ratio_from(&event_target_value(&e)))>
                    {ASPECT_RATIOS.iter().map(|(value, label)| {
                        let value = *value;
                        view! { <option value=(value as i32).to_string() selected=move || params.with(|p| p.aspect_ratio == value)>{*label}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label for=id("resolution")>"Resolution"
                <select id=id("resolution") on:change=move |e| params.update(|p| p.resolution = options::resolution_from(&event_target_value(&e)))>
                    {RESOLUTIONS.iter().map(|(value, label)| {
                        let value = *value;
                        view! { <option value=(value as i32).to_string() selected=move || params.with(|p| p.resolution == value)>{*label}</option> }
                    }).collect_view()}
                </select>
            </label>
        </div>
    }
}
