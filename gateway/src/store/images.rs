//! Generated images, served under `/images/<id>.png`.
use rusqlite::{params, OptionalExtension};

use super::{now_unix, Store, StoreError};

impl Store {
    pub async fn insert_image(&self, id: String, png: Vec<u8>) -> Result<(), StoreError> {
        self.run(move |db| {
            db.execute("INSERT INTO images (id, png, create_time) VALUES (?1, ?2, ?3)", params![id, png, now_unix()]).map(|_| ())
        })
        .await
    }

    pub async fn load_image(&self, id: String) -> Result<Option<Vec<u8>>, StoreError> {
        self.run(move |db| db.query_row("SELECT png FROM images WHERE id = ?1", [id], |row| row.get(0)).optional()).await
    }
}
