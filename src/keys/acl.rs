//! ACLs: the values the service understands, the create form's choices, the state of a key, and
//! what a PERMISSION_DENIED means for the user.
use std::collections::BTreeSet;

use crate::proto::ApiKey;

/// One ACL a key can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AclChoice {
    /// The value sent (as in the Auth service's comment and the gateway's KNOWN_ACLS).
    pub value: &'static str,
    /// What it allows, for the checkbox label.
    pub allows: &'static str,
}

/// Every ACL the service understands, "*" first.
pub const ACL_CHOICES: &[AclChoice] = &[
    AclChoice { value: "*", allows: "everything" },
    AclChoice { value: "chat", allows: "chat completions" },
    AclChoice { value: "image", allows: "image generation and edits" },
    AclChoice { value: "models", allows: "the model list" },
    AclChoice { value: "batch", allows: "batches" },
    AclChoice { value: "sample", allows: "raw sampling" },
    AclChoice { value: "keys", allows: "managing API keys (list, create, delete)" },
];

/// Longest key name the service takes.
pub const MAX_NAME_CHARS: usize = 100;

/// What an ACL allows, for messages.
pub fn allows(acl: &str) -> &'static str {
    ACL_CHOICES.iter().find(|c| c.value == acl).map(|c| c.allows).unwrap_or("this call")
}

/// The ACLs to send for the ticked boxes, in the order of [`ACL_CHOICES`]. "*" covers the rest,
/// so it is sent alone.
pub fn selected_acls(ticked: &BTreeSet<String>) -> Vec<String> {
    if ticked.contains("*") {
        return vec!["*".to_owned()];
    }
    ACL_CHOICES.iter().filter(|c| ticked.contains(c.value)).map(|c| c.value.to_owned()).collect()
}

/// Why the create form cannot be sent.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum NewKeyError {
    #[error("Give the key a name")]
    EmptyName,
    #[error("The name is {0} characters; at most {MAX_NAME_CHARS}")]
    NameTooLong(usize),
    #[error("Tick at least one permission (\"*\" allows everything)")]
    NoAcl,
}

/// The name and ACLs to create a key with.
pub fn new_key(name: &str, ticked: &BTreeSet<String>) -> Result<(String, Vec<String>), NewKeyError> {
    let name = name.trim();
    let length = name.chars().count();
    if length == 0 {
        return Err(NewKeyError::EmptyName);
    }
    if length > MAX_NAME_CHARS {
        return Err(NewKeyError::NameTooLong(length));
    }
    let acls = selected_acls(ticked);
    if acls.is_empty() {
        return Err(NewKeyError::NoAcl);
    }
    Ok((name.to_owned(), acls))
}

/// A key's state in words: blocked and disabled keys cannot make calls.
pub fn key_state(key: &ApiKey) -> &'static str {
    if key.team_blocked {
        "team blocked"
    } else if key.api_key_blocked {
        "blocked"
    } else if key.disabled {
        "disabled"
    } else {
        "active"
    }
}

/// Whether the key can make calls at all.
pub fn is_usable(key: &ApiKey) -> bool {
    !(key.team_blocked || key.api_key_blocked || key.disabled)
}

/// The ACL a PERMISSION_DENIED message names (the service says `needs the ACL "keys"`).
pub fn missing_acl(detail: &str) -> Option<String> {
    let (_, after) = detail.split_once("needs the ACL")?;
    let quoted = after.trim_start().strip_prefix('"')?;
    let (acl, _) = quoted.split_once('"')?;
    (!acl.is_empty()).then(|| acl.to_owned())
}

/// What a PERMISSION_DENIED means, in one sentence. `needed` is the ACL the page knows its call
/// needs, used when the message does not say.
pub fn explain_denied(detail: &str, needed: Option<&str>) -> String {
    let lower = detail.to_ascii_lowercase();
    if lower.contains("blocked") {
        return "This API key is blocked, so it cannot make any call until whoever runs the service lifts the block. Use another key."
            .to_owned();
    }
    if lower.contains("disabled") {
        return "This API key is disabled, so it cannot make any call until it is enabled again. Use another key.".to_owned();
    }
    match missing_acl(detail).or_else(|| needed.map(str::to_owned)) {
        Some(acl) => format!(
            "This API key lacks the “{acl}” permission ({}). Use a key that has “{acl}” or “*”, or create one here with a key that may manage keys.",
            allows(&acl)
        ),
        None => "This API key lacks the permission this call needs. Use a key with more permissions.".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticked(values: &[&str]) -> BTreeSet<String> {
        values.iter().map(|v| v.to_string()).collect()
    }

    #[test]
    fn the_choices_are_the_acls_the_gateway_knows() {
        let values: Vec<_> = ACL_CHOICES.iter().map(|c| c.value).collect();
        assert_eq!(values, ["*", "chat", "image", "models", "batch", "sample", "keys"]);
    }

    #[test]
    fn star_is_sent_alone_and_the_rest_in_a_stable_order() {
        assert_eq!(selected_acls(&ticked(&["keys", "*", "chat"])), ["*"]);
        assert_eq!(selected_acls(&ticked(&["keys", "chat", "models"])), ["chat", "models", "keys"]);
        assert_eq!(selected_acls(&ticked(&["bogus"])), Vec::<String>::new());
    }

    #[test]
    fn a_new_key_needs_a_name_and_a_permission() {
        assert_eq!(new_key("  ", &ticked(&["*"])), Err(NewKeyError::EmptyName));
        assert_eq!(new_key(&"n".repeat(101), &ticked(&["*"])), Err(NewKeyError::NameTooLong(101)));
        assert_eq!(new_key("ci", &ticked(&[])), Err(NewKeyError::NoAcl));
        assert_eq!(new_key(" ci bot ", &ticked(&["models"])), Ok(("ci bot".to_owned(), vec!["models".to_owned()])));
    }

    #[test]
    fn states_put_blocks_before_disabling() {
        let mut key = ApiKey::default();
        assert_eq!(key_state(&key), "active");
        assert!(is_usable(&key));
        key.disabled = true;
        assert_eq!(key_state(&key), "disabled");
        key.api_key_blocked = true;
        assert_eq!(key_state(&key), "blocked");
        key.team_blocked = true;
        assert_eq!(key_state(&key), "team blocked");
        assert!(!is_usable(&key));
    }

    #[test]
    fn a_denial_names_the_missing_acl() {
        let detail = r#"API key key_1 may not make this call: it needs the ACL "keys" (or "*"), it has ["models"]"#;
        assert_eq!(missing_acl(detail), Some("keys".to_owned()));
        let explained = explain_denied(detail, None);
        assert!(explained.contains("lacks the “keys” permission (managing API keys"), "{explained}");
        // The page's own knowledge is used when the message says nothing useful.
        assert!(explain_denied("forbidden", Some("image")).contains("“image” permission (image generation"));
        let disabled = "API key key_1 is disabled: it cannot make calls until it is enabled again";
        assert!(explain_denied(disabled, Some("keys")).starts_with("This API key is disabled"));
        let blocked = "API key key_1 is blocked: it cannot make calls until the gateway's operator lifts the block";
        assert!(explain_denied(blocked, Some("keys")).starts_with("This API key is blocked"));
        assert!(explain_denied("nope", None).contains("lacks the permission"));
    }
}
