//! The selected conversation's system prompt and sampling parameters.
use leptos::prelude::*;

use super::state::ChatState;

fn parse<T: std::str::FromStr>(text: &str) -> Option<T> {
    text.trim().parse().ok()
}

/// A collapsible panel; every change is saved with the conversation.
#[component]
pub fn ParamsPanel() -> impl IntoView {
    let state = expect_context::<ChatState>();
    let edit = move |change: Box<dyn FnOnce(&mut super::conversation::Conversation)>| {
        if let Some(id) = state.current.get_untracked() {
            state.modify(&id, change);
        }
    };
    // Rendered again only when another conversation is selected: not each time the selected
    // one is saved (every 400 ms while an answer streams), which would close the panel and drop
    // what is being typed.
    let selected = Memo::new(move |_| state.current_conversation().map(|c| c.id));
    move || {
        selected.get()?;
        untrack(|| state.current_conversation()).map(|c| {
            let p = c.params.clone();
            let show = |v: Option<f32>| v.map(|v| v.to_string()).unwrap_or_default();
            view! {
                <details class="params">
                    <summary>"System prompt and parameters"</summary>
                    <label for="system-prompt">"System prompt"</label>
                    <textarea id="system-prompt" rows="2" prop:value=c.system_prompt.clone()
                        on:change=move |e| { let v = event_target_value(&e); edit(Box::new(move |c| c.system_prompt = v)) }></textarea>
                    <div class="param-grid">
                        <label>"Temperature" <input type="number" id="param-temperature" step="0.1" min="0" max="2" value=show(p.temperature)
                            on:change=move |e| { let v = parse(&event_target_value(&e)); edit(Box::new(move |c| c.params.temperature = v)) }/></label>
                        <label>"Top p" <input type="number" id="param-top-p" step="0.05" min="0" max="1" value=show(p.top_p)
                            on:change=move |e| { let v = parse(&event_target_value(&e)); edit(Box::new(move |c| c.params.top_p = v)) }/></label>
                        <label>"Max tokens" <input type="number" id="param-max-tokens" min="1" value=p.max_tokens.map(|v| v.to_string()).unwrap_or_default()
                            on:change=move |e| { let v = parse(&event_target_value(&e)); edit(Box::new(move |c| c.params.max_tokens = v)) }/></label>
                        <label>"Seed" <input type="number" id="param-seed" value=p.seed.map(|v| v.to_string()).unwrap_or_default()
                            on:change=move |e| { let v = parse(&event_target_value(&e)); edit(Box::new(move |c| c.params.seed = v)) }/></label>
                        <label>"Stop sequences (one per line)" <textarea id="param-stop" rows="2" prop:value=p.stop.join("\n")
                            on:change=move |e| {
                                let v: Vec<String> = event_target_value(&e).lines().filter(|l| !l.is_empty()).map(str::to_owned).collect();
                                edit(Box::new(move |c| c.params.stop = v))
                            }></textarea></label>
                        <label>"Reasoning effort" <select id="param-reasoning" on:change=move |e| { let v = event_target_value(&e); edit(Box::new(move |c| c.params.reasoning_effort = v)) }>
                            {["", "low", "medium", "high", "none"].into_iter().map(|v| view! {
                                <option value=v selected=p.reasoning_effort == v>{if v.is_empty() { "model default" } else { v }}</option>
                            }).collect_view()}
                        </select></label>
                    </div>
                </details>
            }
        })
    }
}
