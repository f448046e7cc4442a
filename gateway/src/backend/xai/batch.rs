//! BatchMgmt: the same calls upstream, messages translated. CreateBatch with requests is
//! CreateBatch, then AddBatchRequests, then GetBatch (the batch with its new counts).
use tonic::Status;

use super::{call, chat, convert, image, Upstream};
use crate::{
    backend::Caller,
    proto::{
        batch_request, batch_result, AddBatchRequestsRequest, Batch, BatchCostBreakdown, BatchError, BatchRequest, BatchResult, BatchState,
        BatchStatus, CancelBatchRequest, CreateBatchRequest, EndpointCost, GetBatchRequest, ListBatchResultsRequest,
        ListBatchResultsResponse, ListBatchesRequest, ListBatchesResponse,
    },
    upstream_proto::{self as up, batch_mgmt_client::BatchMgmtClient},
};

pub async fn create(upstream: &Upstream, caller: &Caller, request: CreateBatchRequest) -> Result<Batch, Status> {
    let requests = requests_to_upstream(request.requests)?;
    let create = up::CreateBatchRequest { name: request.name, input_file_id: request.input_file_id };
    let created = call::unary(upstream_client!(upstream, BatchMgmtClient).create_batch(call::request(caller, create)?).await)?;
    if requests.is_empty() {
        return Ok(batch(created));
    }
    add_then_get(upstream, caller, created.batch_id, requests).await
}

pub async fn get(upstream: &Upstream, caller: &Caller, request: GetBatchRequest) -> Result<Batch, Status> {
    let request = call::request(caller, up::GetBatchRequest { batch_id: request.batch_id })?;
    call::unary(upstream_client!(upstream, BatchMgmtClient).get_batch(request).await).map(batch)
}

pub async fn list(upstream: &Upstream, caller: &Caller, request: ListBatchesRequest) -> Result<ListBatchesResponse, Status> {
    let request = up::ListBatchesRequest { limit: request.limit, pagination_token: convert::non_empty(request.pagination_token) };
    let response = call::unary(upstream_client!(upstream, BatchMgmtClient).list_batches(call::request(caller, request)?).await)?;
    Ok(ListBatchesResponse {
        batches: response.batches.into_iter().map(batch).collect(),
        pagination_token: response.pagination_token.unwrap_or_default(),
    })
}

pub async fn cancel(upstream: &Upstream, caller: &Caller, request: CancelBatchRequest) -> Result<Batch, Status> {
    let request = call::request(caller, up::CancelBatchRequest { batch_id: request.batch_id })?;
    call::unary(upstream_client!(upstream, BatchMgmtClient).cancel_batch(request).await).map(batch)
}

pub async fn add_requests(upstream: &Upstream, caller: &Caller, request: AddBatchRequestsRequest) -> Result<Batch, Status> {
    let requests = requests_to_upstream(request.batch_requests)?;
    add_then_get(upstream, caller, request.batch_id, requests).await
}

pub async fn list_results(
    upstream: &Upstream,
    caller: &Caller,
    request: ListBatchResultsRequest,
) -> Result<ListBatchResultsResponse, Status> {
    let request = up::ListBatchResultsRequest {
        batch_id: request.batch_id,
        limit: request.limit,
        pagination_token: convert::non_empty(request.pagination_token),
    };
    let response = call::unary(upstream_client!(upstream, BatchMgmtClient).list_batch_results(call::request(caller, request)?).await)?;
    Ok(ListBatchResultsResponse {
        results: response.results.into_iter().map(result).collect(),
        pagination_token: response.pagination_token.unwrap_or_default(),
    })
}

async fn add_then_get(
    upstream: &Upstream,
    caller: &Caller,
    batch_id: String,
    batch_requests: Vec<up::BatchRequest>,
) -> Result<Batch, Status> {
    let add = up::AddBatchRequestsRequest { batch_id: batch_id.clone(), batch_requests };
    call::unary(upstream_client!(upstream, BatchMgmtClient).add_batch_requests(call::request(caller, add)?).await)?;
    get(upstream, caller, GetBatchRequest { batch_id }).await
}

fn requests_to_upstream(requests: Vec<BatchRequest>) -> Result<Vec<up::BatchRequest>, Status> {
    requests
        .into_iter()
        .enumerate()
        .map(|(index, request)| {
            let translated = match request.request {
                Some(batch_request::Request::CompletionRequest(chat)) => up::batch_request::Request::CompletionRequest(
                    chat::to_upstream(chat)
                        .map_err(|error| Status::invalid_argument(format!("batch request {index}: {}", error.message())))?,
                ),
                Some(batch_request::Request::ImageRequest(image)) => {
                    up::batch_request::Request::ImageRequest(image::create_to_upstream(image))
                }
                None => return Err(Status::invalid_argument(format!("batch request {index} holds neither a chat nor an image request"))),
            };
            Ok(up::BatchRequest { batch_request_id: convert::non_empty(request.batch_request_id), request: Some(translated) })
        })
        .collect()
}

/// An upstream batch; the overall status is derived as the local backend derives it.
fn batch(batch: up::Batch) -> Batch {
    let state = batch.state.unwrap_or_default();
    let cancel_time = convert::seconds(batch.cancel_time);
    let status = if cancel_time != 0 || batch.cancel_by_xai_message.is_some() {
        BatchStatus::Cancelled
    } else if state.num_pending > 0 || state.num_requests == 0 {
        BatchStatus::InProgress
    } else {
        BatchStatus::Done
    };
    let cost = batch.cost_breakdown.unwrap_or_default();
    Batch {
        batch_id: batch.batch_id,
        name: batch.name,
        create_time: convert::seconds(batch.create_time),
        expire_time: convert::seconds(batch.expire_time),
        create_api_key_id: batch.create_api_key_id,
        cancel_time,
        state: Some(BatchState {
            num_requests: state.num_requests,
            num_pending: state.num_pending,
            num_success: state.num_success,
            num_error: state.num_error,
            num_cancelled: state.num_cancelled,
        }),
        cost_breakdown: Some(BatchCostBreakdown {
            total_cost_usd_ticks: cost.total_cost_usd_ticks,
            endpoint_costs: cost
                .endpoint_costs
                .into_iter()
                .map(|endpoint| EndpointCost {
                    endpoint: endpoint.endpoint,
                    cost_usd_ticks: endpoint.cost_usd_ticks,
                    request_count: endpoint.request_count,
                })
                .collect(),
        }),
        input_file_id: batch.input_file_id.unwrap_or_default(),
        status: status as i32,
    }
}

fn result(result: up::BatchResult) -> BatchResult {
    use up::{batch_result::Outcome, batch_result_data::Response};
    let outcome = match result.outcome {
        Some(Outcome::Error(error)) => Some(batch_result::Outcome::Error(BatchError { code: error.code, message: error.message })),
        Some(Outcome::Response(data)) => match data.response {
            Some(Response::CompletionResponse(chat)) => Some(batch_result::Outcome::CompletionResponse(chat::from_upstream(chat))),
            Some(Response::ImageResponse(images)) => Some(batch_result::Outcome::ImageResponse(image::from_upstream(images))),
            None => None,
        },
        None => None,
    };
    BatchResult { batch_request_id: result.batch_request_id, outcome }
}
