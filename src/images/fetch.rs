//! Fetches an image URL the service answered with and turns it into a data URL, so the history
//! keeps the bytes (a URL stops working when the gateway forgets the image).
use gloo_file::{futures::read_as_data_url, Blob};
use leptos::wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

fn describe(value: wasm_bindgen::JsValue) -> String {
    if let Some(text) = value.as_string() {
        return text;
    }
    value.dyn_into::<js_sys::Error>().map(|error| String::from(error.message())).unwrap_or_else(|_| "unknown error".into())
}

/// The image at `url` as a data URL. Plain GET without credentials: image URLs are public.
pub async fn fetch_data_url(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(url)).await.map_err(|e| format!("fetching {url} failed: {}", describe(e)))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "fetch gave no response".to_owned())?;
    if !response.ok() {
        return Err(format!("fetching {url} failed: HTTP {}", response.status()));
    }
    let blob = response.blob().map_err(describe)?;
    let blob: web_sys::Blob = JsFuture::from(blob).await.map_err(describe)?.unchecked_into();
    read_as_data_url(&Blob::from(blob)).await.map_err(|e| e.to_string())
}
