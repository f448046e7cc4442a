//! SQLite persistence (`<data-dir>/gateway.sqlite`): API keys, generated images, batches with
//! their requests and results. One connection behind a mutex, used from blocking threads.
mod batches;
mod images;
mod keys;

use std::{
    path::Path,
    sync::{Arc, Mutex},
};

use rusqlite::Connection;

pub use batches::{BatchCounts, BatchRow, EndpointTotals, NewRequest, PendingRequest, RequestState, ResultRow};
pub use keys::ApiKeyRow;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("cannot create the data directory: {0}")]
    Io(#[from] std::io::Error),
    #[error("database task failed: {0}")]
    Join(#[from] tokio::task::JoinError),
}

impl From<StoreError> for tonic::Status {
    /// The database's text (table names, paths) goes to the log; the caller gets its id.
    fn from(error: StoreError) -> Self {
        crate::error_id::internal("storage", &error)
    }
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS api_keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    secret_sha256 TEXT NOT NULL UNIQUE,
    redacted TEXT NOT NULL,
    acls TEXT NOT NULL,
    create_time INTEGER NOT NULL,
    modify_time INTEGER NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    blocked INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS images (
    id TEXT PRIMARY KEY,
    png BLOB NOT NULL,
    create_time INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS batches (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    create_time INTEGER NOT NULL,
    expire_time INTEGER NOT NULL,
    create_api_key_id TEXT NOT NULL,
    cancel_time INTEGER NOT NULL DEFAULT 0,
    input_file_id TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS batch_requests (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id TEXT NOT NULL REFERENCES batches(id),
    request_id TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    request BLOB NOT NULL,
    state TEXT NOT NULL,
    result BLOB,
    cost_usd_ticks INTEGER NOT NULL DEFAULT 0,
    UNIQUE (batch_id, request_id)
);
CREATE INDEX IF NOT EXISTS batch_requests_pending ON batch_requests(state, seq);
";

/// The database's file name in the data dir.
pub const DATABASE_FILE: &str = "gateway.sqlite";

/// The gateway's database.
#[derive(Debug, Clone)]
pub struct Store {
    connection: Arc<Mutex<Connection>>,
}

impl Store {
    /// Opens (creating if needed) `<data_dir>/gateway.sqlite`.
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir)?;
        let connection = Connection::open(data_dir.join(DATABASE_FILE))?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "busy_timeout", 5000)?;
        connection.execute_batch(SCHEMA)?;
        Ok(Self { connection: Arc::new(Mutex::new(connection)) })
    }

    /// Runs `work` on the connection in a blocking thread.
    async fn run<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let connection = self.connection.clone();
        let result = tokio::task::spawn_blocking(move || {
            // A panic while holding the lock leaves SQLite consistent (transactions roll back).
            let mut guard = connection.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            work(&mut guard)
        })
        .await?;
        Ok(result?)
    }
}

/// Current time in Unix seconds.
pub fn now_unix() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|elapsed| elapsed.as_secs() as i64).unwrap_or(0)
}
