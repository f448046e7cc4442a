//! Batches: the BatchMgmt calls over the store, and the background worker that runs pending
//! requests one at a time with the same chat and image logic as the live calls.
use std::time::Duration;

use base64::{engine::general_purpose::URL_SAFE_NO_PAD as TOKEN_BASE64, Engine as _};
use prost::Message as _;
use tonic::Status;

use super::{random_id, LocalBackend};
use crate::{
    backend::Caller,
    proto::{
        batch_request, batch_result, AddBatchRequestsRequest, Batch, BatchCostBreakdown, BatchError, BatchRequest, BatchResult, BatchState,
        BatchStatus, CreateBatchRequest, EndpointCost, ListBatchResultsRequest, ListBatchResultsResponse, ListBatchesRequest,
        ListBatchesResponse,
    },
    store::{now_unix, BatchRow, NewRequest, RequestState, Store},
};

const DEFAULT_PAGE: i32 = 20;
const MAX_PAGE: i32 = 100;
/// Unfinished requests expire a day after the batch was created.
const EXPIRY_SECONDS: i64 = 24 * 3600;
/// Requests one CreateBatch or AddBatchRequests call may carry (the app sends at most 500).
pub const MAX_REQUESTS_PER_CALL: usize = 1_000;

fn page_size(limit: i32) -> i64 {
    i64::from(if limit <= 0 { DEFAULT_PAGE } else { limit.min(MAX_PAGE) })
}

/// Page tokens wrap an internal sequence number; callers must treat them as opaque.
fn encode_token(seq: i64) -> String {
    TOKEN_BASE64.encode(format!("seq:{seq}"))
}

fn decode_token(token: &str) -> Result<Option<i64>, Status> {
    if token.is_empty() {
        return Ok(None);
    }
    let invalid = || Status::invalid_argument("pagination_token is not one this server returned");
    let bytes = TOKEN_BASE64.decode(token).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    text.strip_prefix("seq:").and_then(|seq| seq.parse().ok()).map(Some).ok_or_else(invalid)
}

/// Checks and encodes requests to add: not too many, each has a request, ids are unique
/// (checked in one pass through a set: the work grows with the count, not its square).
fn prepare(requests: Vec<BatchRequest>) -> Result<Vec<NewRequest>, Status> {
    if requests.len() > MAX_REQUESTS_PER_CALL {
        return Err(Status::invalid_argument(format!(
            "{} requests in one call: at most {MAX_REQUESTS_PER_CALL}; add the rest with AddBatchRequests",
            requests.len()
        )));
    }
    let mut prepared: Vec<NewRequest> = Vec::with_capacity(requests.len());
    let mut seen = std::collections::HashSet::with_capacity(requests.len());
    for (index, mut request) in requests.into_iter().enumerate() {
        let endpoint = match &request.request {
            Some(batch_request::Request::CompletionRequest(_)) => "chat",
            Some(batch_request::Request::ImageRequest(_)) => "image",
            None => return Err(Status::invalid_argument(format!("requests[{index}] has neither completion_request nor image_request"))),
        };
        if request.batch_request_id.is_empty() {
            request.batch_request_id = random_id("req");
        }
        if !seen.insert(request.batch_request_id.clone()) {
            return Err(Status::invalid_argument(format!("batch_request_id {:?} appears twice", request.batch_request_id)));
        }
        prepared.push((request.batch_request_id.clone(), endpoint, request.encode_to_vec()));
    }
    Ok(prepared)
}

async fn find(store: &Store, batch_id: &str) -> Result<BatchRow, Status> {
    store.get_batch(batch_id.to_string()).await?.ok_or_else(|| Status::not_found(format!("batch {batch_id:?} not found")))
}

pub async fn describe(store: &Store, row: BatchRow) -> Result<Batch, Status> {
    let counts = store.batch_counts(row.id.clone()).await?;
    let status = if row.cancel_time != 0 {
        BatchStatus::Cancelled
    } else if counts.pending > 0 || counts.total == 0 {
        BatchStatus::InProgress
    } else {
        BatchStatus::Done
    };
    let endpoint_costs: Vec<EndpointCost> = counts
        .endpoints
        .iter()
        .map(|totals| EndpointCost {
            endpoint: totals.endpoint.clone(),
            cost_usd_ticks: totals.cost_usd_ticks,
            request_count: totals.request_count,
        })
        .collect();
    Ok(Batch {
        batch_id: row.id,
        name: row.name,
        create_time: row.create_time,
        expire_time: row.expire_time,
        create_api_key_id: row.create_api_key_id,
        cancel_time: row.cancel_time,
        state: Some(BatchState {
            num_requests: counts.total,
            num_pending: counts.pending,
            num_success: counts.success,
            num_error: counts.error,
            num_cancelled: counts.cancelled,
        }),
        cost_breakdown: Some(BatchCostBreakdown {
            total_cost_usd_ticks: endpoint_costs.iter().map(|cost| cost.cost_usd_ticks).sum(),
            endpoint_costs,
        }),
        input_file_id: row.input_file_id,
        status: status as i32,
    })
}

pub async fn create(store: &Store, caller: &Caller, request: CreateBatchRequest) -> Result<Batch, Status> {
    let name = request.name.trim().to_string();
    if name.is_empty() {
        return Err(Status::invalid_argument("name is empty: give the batch a name"));
    }
    let requests = prepare(request.requests)?;
    let now = now_unix();
    let row = BatchRow {
        seq: 0,
        id: random_id("batch"),
        name,
        create_time: now,
        expire_time: now + EXPIRY_SECONDS,
        create_api_key_id: caller.api_key_id.clone(),
        cancel_time: 0,
        input_file_id: request.input_file_id,
    };
    let id = row.id.clone();
    store.insert_batch(row, requests).await?;
    describe(store, find(store, &id).await?).await
}

pub async fn add_requests(store: &Store, request: AddBatchRequestsRequest) -> Result<Batch, Status> {
    let batch = find(store, &request.batch_id).await?;
    if batch.cancel_time != 0 {
        return Err(Status::failed_precondition(format!("batch {} is cancelled: no requests can be added", batch.id)));
    }
    let requests = prepare(request.batch_requests)?;
    let ids = requests.iter().map(|(id, _, _)| id.clone()).collect();
    if let Some(existing) = store.existing_request_ids(batch.id.clone(), ids).await?.first() {
        return Err(Status::already_exists(format!("batch_request_id {existing:?} already exists in batch {}", batch.id)));
    }
    store.add_batch_requests(batch.id.clone(), requests).await?;
    describe(store, batch).await
}

pub async fn get(store: &Store, batch_id: &str) -> Result<Batch, Status> {
    describe(store, find(store, batch_id).await?).await
}

pub async fn list(store: &Store, request: ListBatchesRequest) -> Result<ListBatchesResponse, Status> {
    let limit = page_size(request.limit);
    let before = decode_token(&request.pagination_token)?;
    // One extra row tells whether there is a next page.
    let mut rows = store.list_batches(limit + 1, before).await?;
    let has_more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let pagination_token = match (has_more, rows.last()) {
        (true, Some(last)) => encode_token(last.seq),
        _ => String::new(),
    };
    let mut batches = Vec::with_capacity(rows.len());
    for row in rows {
        batches.push(describe(store, row).await?);
    }
    Ok(ListBatchesResponse { batches, pagination_token })
}

pub async fn cancel(store: &Store, batch_id: &str) -> Result<Batch, Status> {
    let batch = find(store, batch_id).await?;
    store.cancel_batch(batch.id.clone(), now_unix()).await?;
    get(store, &batch.id).await
}

pub async fn list_results(store: &Store, request: ListBatchResultsRequest) -> Result<ListBatchResultsResponse, Status> {
    let batch = find(store, &request.batch_id).await?;
    let limit = page_size(request.limit);
    let after = decode_token(&request.pagination_token)?.unwrap_or(0);
    let mut rows = store.list_results(batch.id, limit + 1, after).await?;
    let has_more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let pagination_token = match (has_more, rows.last()) {
        (true, Some(last)) => encode_token(last.seq),
        _ => String::new(),
    };
    let results = rows
        .iter()
        .map(|row| {
            BatchResult::decode(row.result.as_slice()).map_err(|error| crate::error_id::internal("reading a stored batch result", &error))
        })
        .collect::<Result<_, _>>()?;
    Ok(ListBatchResultsResponse { results, pagination_token })
}

/// Runs one stored request; returns its state, encoded result and cost.
async fn run(backend: &LocalBackend, encoded: &[u8]) -> (RequestState, Vec<u8>, i64) {
    let request = match BatchRequest::decode(encoded) {
        Ok(request) => request,
        Err(error) => {
            let outcome = batch_result::Outcome::Error(BatchError {
                code: tonic::Code::Internal as i32,
                message: format!("stored request is corrupt: {error}"),
            });
            return (RequestState::Error, BatchResult { batch_request_id: String::new(), outcome: Some(outcome) }.encode_to_vec(), 0);
        }
    };
    let outcome = match request.request {
        Some(batch_request::Request::CompletionRequest(chat)) => backend.run_chat(chat).map(|response| {
            (response.usage.as_ref().map_or(0, |usage| usage.cost_usd_ticks), batch_result::Outcome::CompletionResponse(response))
        }),
        Some(batch_request::Request::ImageRequest(image)) => backend.run_create_image(image).await.map(|response| {
            (response.usage.as_ref().map_or(0, |usage| usage.cost_usd_ticks), batch_result::Outcome::ImageResponse(response))
        }),
        None => Err(Status::invalid_argument("request is empty")),
    };
    let (state, cost, outcome) = match outcome {
        Ok((cost, outcome)) => (RequestState::Success, cost, outcome),
        Err(status) => (
            RequestState::Error,
            0,
            batch_result::Outcome::Error(BatchError { code: status.code() as i32, message: status.message().to_string() }),
        ),
    };
    let result = BatchResult { batch_request_id: request.batch_request_id, outcome: Some(outcome) };
    (state, result.encode_to_vec(), cost)
}

/// Completes one pending request every `interval`, oldest first, until the task is aborted.
/// Pending requests live in the database, so work resumes after a restart.
pub async fn work(backend: LocalBackend, interval: Duration) {
    loop {
        tokio::time::sleep(interval).await;
        let pending = match backend.store.next_pending_request().await {
            Ok(Some(pending)) => pending,
            Ok(None) => continue,
            Err(error) => {
                tracing::error!("batch worker: {error}");
                continue;
            }
        };
        let (state, result, cost) = run(&backend, &pending.request).await;
        match backend.store.finish_request(pending.seq, state, result, cost).await {
            Ok(()) => tracing::debug!("batch {}: request {} finished as {state:?}", pending.batch_id, pending.seq),
            Err(error) => tracing::error!("batch worker: {error}"),
        }
    }
}
