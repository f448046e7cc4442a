//! Renders streamed markdown: sealed blocks are rendered once and kept; only the open tail is
//! rendered again when text arrives. Output is sanitised by `markdown::render_block`.
use leptos::{prelude::*, wasm_bindgen::JsCast};

use crate::markdown::{render_block, BlockSplitter};

/// Markdown of a growing text. `text` only ever grows while streaming; any other change starts
/// over.
#[component]
pub fn MarkdownView(#[prop(into)] text: Signal<String>) -> impl IntoView {
    let splitter = StoredValue::new(BlockSplitter::default());
    let consumed = StoredValue::new(String::new());
    let sealed_html = RwSignal::new(Vec::<(usize, String)>::new());
    let tail_html = RwSignal::new(String::new());

    Effect::new(move |_| {
        text.with(|text| {
            let grew = consumed.with_value(|seen| text.starts_with(seen.as_str()));
            if !grew {
                splitter.set_value(BlockSplitter::default());
                consumed.set_value(String::new());
                sealed_html.set(Vec::new());
            }
            let delta = consumed.with_value(|seen| text[seen.len()..].to_owned());
            consumed.update_value(|seen| seen.push_str(&delta));
            splitter.update_value(|splitter| {
                let newly_sealed = splitter.push(&delta);
                if newly_sealed > 0 {
                    let blocks = splitter.sealed();
                    let first = blocks.len() - newly_sealed;
                    sealed_html.update(|html| {
                        html.extend(blocks[first..].iter().enumerate().map(|(i, block)| (first + i, render_block(block))));
                    });
                }
                tail_html.set(render_block(splitter.tail()));
            });
        });
    });

    view! {
        <div class="markdown" on:click=copy_code>
            <For each=move || sealed_html.get() key=|(index, _)| *index let:block>
                <div class="md-block" inner_html=block.1></div>
            </For>
            <div class="md-block md-tail" inner_html=move || tail_html.get()></div>
        </div>
    }
}

/// The copy buttons of code blocks (one listener for all of them: the HTML is rendered as a
/// string, so its buttons carry no handlers of their own).
fn copy_code(event: leptos::ev::MouseEvent) {
    let Some(button) = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
    if !button.class_list().contains("copy-code") {
        return;
    }
    let code = button
        .closest(".code-block")
        .ok()
        .flatten()
        .and_then(|block| block.query_selector("code").ok().flatten())
        .and_then(|code| code.text_content());
    if let (Some(code), Some(window)) = (code, web_sys::window()) {
        let _ = window.navigator().clipboard().write_text(&code);
        button.set_text_content(Some("Copied"));
    }
}
