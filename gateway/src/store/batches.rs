//! Batches, their requests (stored as encoded protobuf) and results.
use rusqlite::{params, OptionalExtension, Row};

use super::{Store, StoreError};

#[derive(Debug, Clone)]
pub struct BatchRow {
    /// Insertion order; pages of batches are cut by it.
    pub seq: i64,
    pub id: String,
    pub name: String,
    pub create_time: i64,
    pub expire_time: i64,
    pub create_api_key_id: String,
    pub cancel_time: i64,
    pub input_file_id: String,
}

/// State of one batch request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestState {
    Pending,
    Success,
    Error,
    Cancelled,
}

impl RequestState {
    fn as_str(self) -> &'static str {
        match self {
            RequestState::Pending => "pending",
            RequestState::Success => "success",
            RequestState::Error => "error",
            RequestState::Cancelled => "cancelled",
        }
    }
}

/// Cost and count of one endpoint's requests that ran.
#[derive(Debug, Clone, Default)]
pub struct EndpointTotals {
    pub endpoint: String,
    pub cost_usd_ticks: i64,
    pub request_count: i64,
}

#[derive(Debug, Clone, Default)]
pub struct BatchCounts {
    pub total: i64,
    pub pending: i64,
    pub success: i64,
    pub error: i64,
    pub cancelled: i64,
    pub endpoints: Vec<EndpointTotals>,
}

/// A request waiting for the background worker.
#[derive(Debug, Clone)]
pub struct PendingRequest {
    pub seq: i64,
    pub batch_id: String,
    pub request: Vec<u8>,
}

/// A finished request: its seq (for paging) and its encoded `BatchResult`.
#[derive(Debug, Clone)]
pub struct ResultRow {
    pub seq: i64,
    pub result: Vec<u8>,
}

/// A request to add: (request id, endpoint "chat"/"image", encoded request).
pub type NewRequest = (String, &'static str, Vec<u8>);

const BATCH_COLUMNS: &str = "seq, id, name, create_time, expire_time, create_api_key_id, cancel_time, input_file_id";

fn batch_from_row(row: &Row<'_>) -> rusqlite::Result<BatchRow> {
    Ok(BatchRow {
        seq: row.get(0)?,
        id: row.get(1)?,
        name: row.get(2)?,
        create_time: row.get(3)?,
        expire_time: row.get(4)?,
        create_api_key_id: row.get(5)?,
        cancel_time: row.get(6)?,
        input_file_id: row.get(7)?,
    })
}

fn insert_requests(db: &rusqlite::Transaction<'_>, batch_id: &str, requests: &[NewRequest]) -> rusqlite::Result<()> {
    let mut statement =
        db.prepare("INSERT INTO batch_requests (batch_id, request_id, endpoint, request, state) VALUES (?1, ?2, ?3, ?4, 'pending')")?;
    for (request_id, endpoint, request) in requests {
        statement.execute(params![batch_id, request_id, endpoint, request])?;
    }
    Ok(())
}

impl Store {
    /// Creates a batch with its first requests, atomically.
    pub async fn insert_batch(&self, batch: BatchRow, requests: Vec<NewRequest>) -> Result<(), StoreError> {
        self.run(move |db| {
            let tx = db.transaction()?;
            tx.execute(
                "INSERT INTO batches (id, name, create_time, expire_time, create_api_key_id, cancel_time, input_file_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6)",
                params![batch.id, batch.name, batch.create_time, batch.expire_time, batch.create_api_key_id, batch.input_file_id],
            )?;
            insert_requests(&tx, &batch.id, &requests)?;
            tx.commit()
        })
        .await
    }

    /// Request ids of `batch_id` that already exist among `ids`.
    pub async fn existing_request_ids(&self, batch_id: String, ids: Vec<String>) -> Result<Vec<String>, StoreError> {
        self.run(move |db| {
            let mut statement = db.prepare("SELECT 1 FROM batch_requests WHERE batch_id = ?1 AND request_id = ?2")?;
            let mut existing = Vec::new();
            for id in ids {
                if statement.exists(params![batch_id, id])? {
                    existing.push(id);
                }
            }
            Ok(existing)
        })
        .await
    }

    pub async fn add_batch_requests(&self, batch_id: String, requests: Vec<NewRequest>) -> Result<(), StoreError> {
        self.run(move |db| {
            let tx = db.transaction()?;
            insert_requests(&tx, &batch_id, &requests)?;
            tx.commit()
        })
        .await
    }

    pub async fn get_batch(&self, id: String) -> Result<Option<BatchRow>, StoreError> {
        self.run(move |db| db.query_row(&format!("SELECT {BATCH_COLUMNS} FROM batches WHERE id = ?1"), [id], batch_from_row).optional())
            .await
    }

    /// Up to `limit` batches older than `before_seq` (None: from the newest), newest first.
    pub async fn list_batches(&self, limit: i64, before_seq: Option<i64>) -> Result<Vec<BatchRow>, StoreError> {
        self.run(move |db| {
            let mut statement = db.prepare(&format!("SELECT {BATCH_COLUMNS} FROM batches WHERE seq < ?1 ORDER BY seq DESC LIMIT ?2"))?;
            let rows = statement.query_map(params![before_seq.unwrap_or(i64::MAX), limit], batch_from_row)?;
            rows.collect()
        })
        .await
    }

    /// Marks the batch cancelled (once) and its pending requests cancelled.
    pub async fn cancel_batch(&self, id: String, now: i64) -> Result<(), StoreError> {
        self.run(move |db| {
            let tx = db.transaction()?;
            tx.execute("UPDATE batches SET cancel_time = ?2 WHERE id = ?1 AND cancel_time = 0", params![id, now])?;
            tx.execute("UPDATE batch_requests SET state = 'cancelled' WHERE batch_id = ?1 AND state = 'pending'", [id])?;
            tx.commit()
        })
        .await
    }

    pub async fn batch_counts(&self, id: String) -> Result<BatchCounts, StoreError> {
        self.run(move |db| {
            let mut counts = BatchCounts::default();
            let mut statement = db.prepare("SELECT state, COUNT(*) FROM batch_requests WHERE batch_id = ?1 GROUP BY state")?;
            let mut rows = statement.query([&id])?;
            while let Some(row) = rows.next()? {
                let state: String = row.get(0)?;
                let count: i64 = row.get(1)?;
                counts.total += count;
                match state.as_str() {
                    "pending" => counts.pending = count,
                    "success" => counts.success = count,
                    "error" => counts.error = count,
                    _ => counts.cancelled = count,
                }
            }
            let mut statement = db.prepare(
                "SELECT endpoint, SUM(cost_usd_ticks), COUNT(*) FROM batch_requests
                 WHERE batch_id = ?1 AND state IN ('success', 'error') GROUP BY endpoint ORDER BY endpoint",
            )?;
            let endpoints = statement.query_map([&id], |row| {
                Ok(EndpointTotals { endpoint: row.get(0)?, cost_usd_ticks: row.get(1)?, request_count: row.get(2)? })
            })?;
            counts.endpoints = endpoints.collect::<rusqlite::Result<_>>()?;
            Ok(counts)
        })
        .await
    }

    /// The oldest pending request of any batch.
    pub async fn next_pending_request(&self) -> Result<Option<PendingRequest>, StoreError> {
        self.run(|db| {
            db.query_row("SELECT seq, batch_id, request FROM batch_requests WHERE state = 'pending' ORDER BY seq LIMIT 1", [], |row| {
                Ok(PendingRequest { seq: row.get(0)?, batch_id: row.get(1)?, request: row.get(2)? })
            })
            .optional()
        })
        .await
    }

    /// Stores a request's outcome, unless it was cancelled meanwhile.
    pub async fn finish_request(&self, seq: i64, state: RequestState, result: Vec<u8>, cost: i64) -> Result<(), StoreError> {
        self.run(move |db| {
            db.execute(
                "UPDATE batch_requests SET state = ?2, result = ?3, cost_usd_ticks = ?4 WHERE seq = ?1 AND state = 'pending'",
                params![seq, state.as_str(), result, cost],
            )
            .map(|_| ())
        })
        .await
    }

    /// Up to `limit` finished results of a batch after `after_seq`, in request order.
    pub async fn list_results(&self, batch_id: String, limit: i64, after_seq: i64) -> Result<Vec<ResultRow>, StoreError> {
        self.run(move |db| {
            let mut statement = db.prepare(
                "SELECT seq, result FROM batch_requests
                 WHERE batch_id = ?1 AND seq > ?2 AND result IS NOT NULL ORDER BY seq LIMIT ?3",
            )?;
            let rows =
                statement.query_map(params![batch_id, after_seq, limit], |row| Ok(ResultRow { seq: row.get(0)?, result: row.get(1)? }))?;
            rows.collect()
        })
        .await
    }
}
