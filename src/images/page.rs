//! Generate images from a prompt and show them in a grid.
use leptos::prelude::*;

use crate::{
    app::use_api,
    components::{ErrorView, Loading},
    format,
    proto::{generated_image::Image, ImageFormat, ImageRequest},
};

/// Prompt, count, and the resulting grid.
#[component]
pub fn ImagesPage() -> impl IntoView {
    let api = use_api();
    let prompt = RwSignal::new(String::new());
    let count = RwSignal::new(1_i32);
    let generate = Action::new_local(move |request: &ImageRequest| {
        let api = api.clone();
        let request = request.clone();
        async move { api.create_image(request).await }
    });

    view! {
        <section class="images">
            <h1>"Images"</h1>
            <form class="form" on:submit=move |event| {
                event.prevent_default();
                let text = prompt.get_untracked();
                if !text.trim().is_empty() {
                    generate.dispatch(ImageRequest {
                        prompt: text,
                        n: Some(count.get_untracked()),
                        format: ImageFormat::Base64 as i32,
                        ..Default::default()
                    });
                }
            }>
                <label for="image-prompt">"Prompt"</label>
                <textarea id="image-prompt" rows="3" on:input=move |event| prompt.set(event_target_value(&event))></textarea>
                <label for="image-count">"Number of images"</label>
                <input id="image-count" type="number" min="1" max="10" prop:value=move || count.get().to_string()
                    on:input=move |event| count.set(event_target_value(&event).parse::<i32>().unwrap_or(1).clamp(1, 10))/>
                <button id="image-generate" type="submit" disabled=move || generate.pending().get()>"Generate"</button>
            </form>
            <Show when=move || generate.pending().get()><Loading what="Drawing"/></Show>
            {move || generate.value().get().map(|result| match result {
                Err(error) => view! { <ErrorView error/> }.into_any(),
                Ok(response) => view! {
                    <p class="muted">{response.images.len()} " image(s) from " {response.model.clone()}
                        {response.usage.map(|u| format!(", cost {}", format::cost(u.cost_usd_ticks)))}</p>
                    <div class="image-grid">
                        {response.images.into_iter().map(|image| {
                            let src = match image.image {
                                Some(Image::Base64(data)) => format!("data:{};base64,{data}", if image.mime_type.is_empty() { "image/png" } else { &image.mime_type }),
                                Some(Image::Url(url)) => url,
                                None => String::new(),
                            };
                            view! { <img class="generated" src=src alt="Generated image" width=image.width height=image.height/> }
                        }).collect_view()}
                    </div>
                }.into_any(),
            })}
        </section>
    }
}
