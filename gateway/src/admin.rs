//! Operator commands (`xai-gateway [--data-dir DIR] keys …`): list the local backend's API keys
//! and disable, enable, block or unblock one. They change `<data-dir>/gateway.sqlite`, which a
//! running gateway reads on every call, so a change applies to the next call without a restart.
use std::{fmt::Write as _, path::Path};

use clap::Subcommand;

use crate::store::{ApiKeyRow, Store, StoreError};

/// What to do instead of serving.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Manage the local backend's API keys (in <data-dir>/gateway.sqlite) and exit.
    #[command(subcommand)]
    Keys(KeysCommand),
}

#[derive(Debug, Clone, Subcommand)]
pub enum KeysCommand {
    /// List every key: id, state, redacted secret, ACLs, name. Secrets are never stored.
    List,
    /// Refuse the key's calls (PERMISSION_DENIED) until it is enabled again. GetApiKey still
    /// answers, so its owner can see why.
    Disable {
        /// The key's id (see `keys list`).
        id: String,
    },
    /// Let a disabled key make calls again.
    Enable {
        /// The key's id (see `keys list`).
        id: String,
    },
    /// Block the key (as for abuse): refused like a disabled key, and shown as blocked.
    Block {
        /// The key's id (see `keys list`).
        id: String,
    },
    /// Lift a block.
    Unblock {
        /// The key's id (see `keys list`).
        id: String,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("no API key {0:?} in this data directory (see `keys list`)")]
    UnknownKey(String),
    #[error("no gateway database at {0} (is --data-dir right?)")]
    NoDatabase(String),
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// Runs `command` on the database in `data_dir`; returns what to print.
pub async fn run(command: &Command, data_dir: &Path) -> Result<String, AdminError> {
    // Opening would create an empty database: a mistyped --data-dir must not look like "no keys".
    let database = data_dir.join(crate::store::DATABASE_FILE);
    if !database.is_file() {
        return Err(AdminError::NoDatabase(database.display().to_string()));
    }
    let store = Store::open(data_dir)?;
    let Command::Keys(command) = command;
    let (id, disabled, blocked) = match command {
        KeysCommand::List => return Ok(key_table(&store.list_keys().await?)),
        KeysCommand::Disable { id } => (id, Some(true), None),
        KeysCommand::Enable { id } => (id, Some(false), None),
        KeysCommand::Block { id } => (id, None, Some(true)),
        KeysCommand::Unblock { id } => (id, None, Some(false)),
    };
    if !store.set_key_flags(id.clone(), disabled, blocked).await? {
        return Err(AdminError::UnknownKey(id.clone()));
    }
    let key = store.get_key(id.clone()).await?.ok_or_else(|| AdminError::UnknownKey(id.clone()))?;
    Ok(format!("API key {} ({:?}) is now {}\n", key.id, key.name, state(&key)))
}

/// A key's state in one word.
fn state(key: &ApiKeyRow) -> &'static str {
    match (key.blocked, key.disabled) {
        (true, true) => "blocked+disabled",
        (true, false) => "blocked",
        (false, true) => "disabled",
        (false, false) => "active",
    }
}

/// One line per key under a header; the name last, as the only free text.
fn key_table(keys: &[ApiKeyRow]) -> String {
    if keys.is_empty() {
        return "no API keys\n".to_string();
    }
    let id_width = keys.iter().map(|key| key.id.len()).max().unwrap_or(0).max(2);
    let redacted_width = keys.iter().map(|key| key.redacted.len()).max().unwrap_or(0).max(6);
    let acl_width = keys.iter().map(|key| key.acls.join(",").len()).max().unwrap_or(0).max(4);
    let mut table = format!("{:id_width$}  {:16}  {:redacted_width$}  {:acl_width$}  NAME\n", "ID", "STATE", "SECRET", "ACLS");
    for key in keys {
        let _ = writeln!(
            table,
            "{:id_width$}  {:16}  {:redacted_width$}  {:acl_width$}  {:?}",
            key.id,
            state(key),
            key.redacted,
            key.acls.join(","),
            key.name
        );
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: &str, disabled: bool, blocked: bool) -> ApiKeyRow {
        ApiKeyRow {
            id: id.into(),
            name: "ci \"bot\"".into(),
            secret_sha256: "ab".repeat(32),
            redacted: "xai-…Ab3d".into(),
            acls: vec!["chat".into(), "models".into()],
            create_time: 0,
            modify_time: 0,
            disabled,
            blocked,
        }
    }

    #[test]
    fn the_table_shows_states_and_never_the_hash() {
        let table = key_table(&[key("key_1", false, false), key("key_22", true, false), key("key_3", true, true)]);
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[0].starts_with("ID    "), "{table}");
        assert!(lines[1].contains(" active ") && lines[1].contains("chat,models") && lines[1].ends_with("\"ci \\\"bot\\\"\""), "{table}");
        assert!(lines[2].contains(" disabled "), "{table}");
        assert!(lines[3].contains(" blocked+disabled "), "{table}");
        assert!(!table.contains(&"ab".repeat(32)));
        assert_eq!(key_table(&[]), "no API keys\n");
    }
}
