//! API keys: stored by SHA-256 of the secret, never the secret itself.
use rusqlite::{params, OptionalExtension, Row};

use super::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyRow {
    pub id: String,
    pub name: String,
    pub secret_sha256: String,
    /// e.g. `xai-…Ab3d`.
    pub redacted: String,
    pub acls: Vec<String>,
    pub create_time: i64,
    pub modify_time: i64,
    pub disabled: bool,
    pub blocked: bool,
}

const COLUMNS: &str = "id, name, secret_sha256, redacted, acls, create_time, modify_time, disabled, blocked";

fn from_row(row: &Row<'_>) -> rusqlite::Result<ApiKeyRow> {
    let acls: String = row.get(4)?;
    Ok(ApiKeyRow {
        id: row.get(0)?,
        name: row.get(1)?,
        secret_sha256: row.get(2)?,
        redacted: row.get(3)?,
        acls: acls.split(',').filter(|acl| !acl.is_empty()).map(str::to_string).collect(),
        create_time: row.get(5)?,
        modify_time: row.get(6)?,
        disabled: row.get(7)?,
        blocked: row.get(8)?,
    })
}

impl Store {
    pub async fn insert_key(&self, key: ApiKeyRow) -> Result<(), StoreError> {
        self.run(move |db| {
            db.execute(
                &format!("INSERT INTO api_keys ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
                params![
                    key.id,
                    key.name,
                    key.secret_sha256,
                    key.redacted,
                    key.acls.join(","),
                    key.create_time,
                    key.modify_time,
                    key.disabled,
                    key.blocked
                ],
            )
            .map(|_| ())
        })
        .await
    }

    pub async fn find_key_by_hash(&self, secret_sha256: String) -> Result<Option<ApiKeyRow>, StoreError> {
        self.run(move |db| {
            db.query_row(&format!("SELECT {COLUMNS} FROM api_keys WHERE secret_sha256 = ?1"), [secret_sha256], from_row).optional()
        })
        .await
    }

    pub async fn get_key(&self, id: String) -> Result<Option<ApiKeyRow>, StoreError> {
        self.run(move |db| db.query_row(&format!("SELECT {COLUMNS} FROM api_keys WHERE id = ?1"), [id], from_row).optional()).await
    }

    /// All keys, oldest first.
    pub async fn list_keys(&self) -> Result<Vec<ApiKeyRow>, StoreError> {
        self.run(|db| {
            let mut statement = db.prepare(&format!("SELECT {COLUMNS} FROM api_keys ORDER BY create_time, rowid"))?;
            let rows = statement.query_map([], from_row)?;
            rows.collect()
        })
        .await
    }

    /// Sets a key's disabled and/or blocked flag (None leaves it); whether the key exists.
    pub async fn set_key_flags(&self, id: String, disabled: Option<bool>, blocked: Option<bool>) -> Result<bool, StoreError> {
        let now = super::now_unix();
        self.run(move |db| {
            db.execute(
                "UPDATE api_keys SET disabled = COALESCE(?2, disabled), blocked = COALESCE(?3, blocked), modify_time = ?4
                 WHERE id = ?1",
                params![id, disabled, blocked, now],
            )
            .map(|updated| updated > 0)
        })
        .await
    }

    /// Whether a key was deleted.
    pub async fn delete_key(&self, id: String) -> Result<bool, StoreError> {
        self.run(move |db| db.execute("DELETE FROM api_keys WHERE id = ?1", [id]).map(|deleted| deleted > 0)).await
    }
}
