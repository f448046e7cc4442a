//! Renders streamed markdown. The logic is `markdown::MarkdownStream` (finished blocks rendered
//! once, the open block changed by bounded patches); this component only applies its patches to
//! the DOM, so an update costs time bounded by what changed, however long the answer or its open
//! block. Output is sanitised by `markdown::render_block`. While the text streams, a long open
//! table has its columns frozen (`markdown::TableFreeze` decides when; this only measures and
//! sets them).
use std::time::Duration;

use leptos::{html, prelude::*, wasm_bindgen::JsCast};
use web_sys::{Element, Node};

use crate::markdown::{MarkdownStream, Patch, TableFreeze, TailPatch};

/// Markdown of a growing text. `text` only ever grows while streaming; any other change starts
/// over. `streaming`: the text is still being written (a long table then keeps its columns).
#[component]
pub fn MarkdownView(#[prop(into)] text: Signal<String>, #[prop(optional, into)] streaming: Signal<bool>) -> impl IntoView {
    let root = NodeRef::<html::Div>::new();
    let page = StoredValue::new_local(None::<StreamedPage>);

    Effect::new(move |_| {
        let Some(root) = root.get() else { return };
        let streaming = streaming.get();
        text.with(|text| {
            page.update_value(|page| {
                let fresh = page.as_ref().is_none_or(|page| !text.starts_with(page.consumed.as_str()));
                if fresh {
                    *page = StreamedPage::new(&root);
                }
                if let Some(page) = page {
                    page.grow(text);
                    page.lay_out_table(streaming);
                }
            });
        });
    });

    view! { <div class="markdown" node_ref=root on:click=copy_code></div> }
}

/// The DOM of one streamed text: finished blocks, then the open block (`tail`), whose container
/// element holds the pieces placed for good, then the last piece (the nodes after `last_anchor`);
/// what the last line shows after the container are the nodes after `after_anchor`.
struct StreamedPage {
    stream: MarkdownStream,
    consumed: String,
    root: Element,
    tail: Element,
    container: Option<Element>,
    last_anchor: Option<Node>,
    after_anchor: Option<Node>,
    freeze: TableFreeze,
    /// The table whose columns are frozen.
    frozen: Option<Element>,
}

impl StreamedPage {
    fn new(root: &Element) -> Option<Self> {
        root.set_inner_html("");
        let tail = block_element(root)?;
        let _ = root.append_child(&tail);
        Some(StreamedPage {
            stream: MarkdownStream::default(),
            consumed: String::new(),
            root: root.clone(),
            tail,
            container: None,
            last_anchor: None,
            after_anchor: None,
            freeze: TableFreeze::default(),
            frozen: None,
        })
    }

    fn grow(&mut self, text: &str) {
        let delta = &text[self.consumed.len()..];
        if delta.is_empty() {
            return;
        }
        self.consumed.push_str(delta);
        for patch in self.stream.push(delta) {
            self.apply(patch);
        }
    }

    /// Freezes or thaws the columns of the open table, as `TableFreeze` says.
    fn lay_out_table(&mut self, streaming: bool) {
        let change = self.freeze.update(streaming, self.stream.open_table());
        if let Some(table) = self.frozen.take_if(|_| change.thaw) {
            // Once the browser has shown this update (a stopped or finished answer shows at
            // once): the table's layout as a whole then takes some 100 ms at 2,000 rows.
            request_animation_frame(move || set_timeout(move || thaw_columns(&table), Duration::ZERO));
        }
        if change.freeze {
            // The open table is the open block's container.
            if let Some(table) = &self.container {
                freeze_columns(table);
                self.frozen = Some(table.clone());
            }
        }
    }

    fn apply(&mut self, patch: Patch) {
        match patch {
            Patch::Sealed(html) => {
                if let Some(block) = block_element(&self.root) {
                    block.set_inner_html(&html);
                    let _ = self.root.insert_before(&block, Some(&self.tail));
                }
            }
            Patch::Keep => {
                if let Some(tail) = block_element(&self.root) {
                    self.tail.set_class_name("md-block");
                    let _ = self.root.append_child(&tail);
                    self.tail = tail;
                    (self.container, self.last_anchor, self.after_anchor) = (None, None, None);
                }
            }
            Patch::Tail(TailPatch::Replace { open, last, close, after, container }) => {
                self.tail.set_inner_html(&format!("{open}{close}"));
                self.container = container.and_then(|selector| self.tail.query_selector(selector).ok().flatten());
                self.place(&last, &after);
            }
            Patch::Tail(TailPatch::Extend { finished, last, after }) => {
                remove_after(&self.tail, self.after_anchor.as_ref());
                if let Some(container) = &self.container {
                    remove_after(container, self.last_anchor.as_ref());
                    let _ = container.insert_adjacent_html("beforeend", &finished);
                }
                self.place(&last, &after);
            }
        }
    }

    /// Puts the last piece at the end of the container and what follows it at the end of the
    /// block, remembering where each starts.
    fn place(&mut self, last: &str, after: &str) {
        if let Some(container) = &self.container {
            self.last_anchor = container.last_child();
            let _ = container.insert_adjacent_html("beforeend", last);
        }
        self.after_anchor = self.tail.last_child();
        let _ = self.tail.insert_adjacent_html("beforeend", after);
    }
}

fn block_element(root: &Element) -> Option<Element> {
    let block = root.owner_document()?.create_element("div").ok()?;
    block.set_class_name("md-block md-tail");
    Some(block)
}

/// Gives `table` the column widths its header has now, each row a grid of them
/// (`.md-frozen` in style/chat.css).
fn freeze_columns(table: &Element) {
    let Ok(Some(header)) = table.query_selector(":scope > thead > tr") else { return };
    let cells = std::iter::successors(header.first_element_child(), Element::next_element_sibling);
    let widths: Vec<String> = cells.map(|cell| format!("{}px", cell.get_bounding_client_rect().width())).collect();
    let _ = table.set_attribute("style", &format!("--md-columns: {}", widths.join(" ")));
    let _ = table.set_attribute("class", "md-frozen");
}

/// Gives `table` back exactly its attributes as rendered (it has no class or style).
fn thaw_columns(table: &Element) {
    let _ = table.remove_attribute("class");
    let _ = table.remove_attribute("style");
}

/// Removes the children of `parent` after `anchor` (all of them without one).
fn remove_after(parent: &Node, anchor: Option<&Node>) {
    while let Some(last) = parent.last_child() {
        if anchor.is_some_and(|anchor| anchor.is_same_node(Some(&last))) {
            break;
        }
        let _ = parent.remove_child(&last);
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
