//! The last chat-model list an endpoint gave, kept on this device so that a returning visitor
//! can pick a model and send at once while the list is asked for again (stale while
//! revalidate): a warm start does not wait a round trip for the picker. Only a list of the same
//! endpoint is used, and a failed refresh shows its error, never the old list (the page decides;
//! see `ChatPage`). The list is kept as its protobuf bytes, hex-encoded, in one localStorage
//! entry: the messages have no serde form, and a few kilobytes is all it takes.
use prost::Message;
use serde::{Deserialize, Serialize};

use crate::{
    proto::{LanguageModel, ListLanguageModelsResponse},
    storage::local,
};

/// The localStorage entry.
const KEY: &str = "xai-web.chat-models";

/// What is stored: one endpoint's list.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct CachedModels {
    endpoint: String,
    /// `ListLanguageModelsResponse` bytes as lowercase hex.
    models_hex: String,
}

impl CachedModels {
    fn new(endpoint: &str, models: &[LanguageModel]) -> Self {
        let bytes = ListLanguageModelsResponse { models: models.to_vec() }.encode_to_vec();
        CachedModels { endpoint: endpoint.to_owned(), models_hex: to_hex(&bytes) }
    }

    /// The list, if it is `endpoint`'s and readable.
    fn models_for(&self, endpoint: &str) -> Option<Vec<LanguageModel>> {
        if self.endpoint != endpoint {
            return None;
        }
        let bytes = from_hex(&self.models_hex)?;
        ListLanguageModelsResponse::decode(bytes.as_slice()).ok().map(|r| r.models)
    }
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

/// The list last stored for `endpoint` (empty when there is none, or another endpoint's).
pub fn load(endpoint: &str) -> Vec<LanguageModel> {
    local::get::<CachedModels>(KEY).and_then(|c| c.models_for(endpoint)).unwrap_or_default()
}

/// Keeps `models` as `endpoint`'s list; a full or blocked storage only loses the shortcut.
pub fn store(endpoint: &str, models: &[LanguageModel]) {
    local::set(KEY, &CachedModels::new(endpoint, models));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(name: &str) -> LanguageModel {
        LanguageModel { name: name.into(), max_prompt_length: 131_072, ..Default::default() }
    }

    #[test]
    fn a_list_comes_back_for_its_own_endpoint_only() {
        let cached = CachedModels::new("https://a.example", &[model("grok-4"), model("grok-3-mini")]);
        let names: Vec<String> = cached.models_for("https://a.example").unwrap().into_iter().map(|m| m.name).collect();
        assert_eq!(names, ["grok-4", "grok-3-mini"]);
        assert_eq!(cached.models_for("https://b.example"), None);
    }

    #[test]
    fn unreadable_entries_give_nothing() {
        for hex in ["0", "zz", "ffff"] {
            let cached = CachedModels { endpoint: "e".into(), models_hex: hex.into() };
            assert!(cached.models_for("e").is_none_or(|models| models.is_empty()), "{hex}");
        }
        assert_eq!(from_hex("0a00"), Some(vec![0x0a, 0x00]));
        assert_eq!(to_hex(&[0x0a, 0xff]), "0aff");
    }
}
