//! BatchMgmt through the generated tonic client (HTTP/2): batches of chat and image requests
//! run in the background, report their counts and results, and cancel what is still pending.
mod common;

use std::time::Duration;

use common::{chat_request, TestGateway};
use tonic::Code;
use xai_gateway::proto::{
    batch_mgmt_client::BatchMgmtClient, batch_request, batch_result, AddBatchRequestsRequest, BatchRequest, BatchStatus,
    CancelBatchRequest, CreateBatchRequest, GetBatchRequest, ImageRequest, ListBatchResultsRequest, ListBatchesRequest,
};

fn chat_batch_request(id: &str, question: &str) -> BatchRequest {
    BatchRequest {
        batch_request_id: id.into(),
        request: Some(batch_request::Request::CompletionRequest(chat_request("grok-3-mini", question))),
    }
}

#[tokio::test]
async fn batches_run_in_the_background_until_done() {
    let gateway = TestGateway::start(&[]).await;
    let mut batches = BatchMgmtClient::new(gateway.channel().await);
    let image = BatchRequest {
        batch_request_id: "img".into(),
        request: Some(batch_request::Request::ImageRequest(ImageRequest {
            prompt: "a cat".into(),
            model: "grok-2-image".into(),
            ..Default::default()
        })),
    };
    let broken = BatchRequest {
        batch_request_id: "bad".into(),
        request: Some(batch_request::Request::CompletionRequest(chat_request("no-such-model", "x"))),
    };
    let created = batches
        .create_batch(CreateBatchRequest {
            name: "nightly".into(),
            requests: vec![chat_batch_request("a", "first"), image],
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(created.state.unwrap().num_requests, 2);
    assert_eq!(created.status, BatchStatus::InProgress as i32);
    let added = batches
        .add_batch_requests(AddBatchRequestsRequest {
            batch_id: created.batch_id.clone(),
            batch_requests: vec![chat_batch_request("b", "second"), broken],
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(added.state.unwrap().num_requests, 4);
    let duplicate = batches
        .add_batch_requests(AddBatchRequestsRequest {
            batch_id: created.batch_id.clone(),
            batch_requests: vec![chat_batch_request("a", "again")],
        })
        .await
        .unwrap_err();
    assert_eq!(duplicate.code(), Code::AlreadyExists);

    let mut batch = added;
    for _ in 0..200 {
        if batch.status == BatchStatus::Done as i32 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
        batch = batches.get_batch(GetBatchRequest { batch_id: created.batch_id.clone() }).await.unwrap().into_inner();
    }
    assert_eq!(batch.status, BatchStatus::Done as i32, "{batch:?}");
    let state = batch.state.unwrap();
    assert_eq!((state.num_success, state.num_error, state.num_pending), (3, 1, 0));
    let cost = batch.cost_breakdown.unwrap();
    let image_cost = cost.endpoint_costs.iter().find(|cost| cost.endpoint == "image").unwrap();
    assert_eq!(image_cost.cost_usd_ticks, 700_000_000);
    assert!(cost.total_cost_usd_ticks > 700_000_000);

    let page = batches
        .list_batch_results(ListBatchResultsRequest { batch_id: created.batch_id.clone(), limit: 3, ..Default::default() })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(page.results.len(), 3);
    assert!(!page.pagination_token.is_empty());
    let ids: Vec<_> = page.results.iter().map(|result| result.batch_request_id.as_str()).collect();
    assert_eq!(ids, ["a", "img", "b"]);
    let Some(batch_result::Outcome::CompletionResponse(answer)) = &page.results[0].outcome else { panic!("chat result") };
    assert!(answer.choices[0].message.as_ref().unwrap().content.contains("```"));
    let rest = batches
        .list_batch_results(ListBatchResultsRequest {
            batch_id: created.batch_id.clone(),
            limit: 3,
            pagination_token: page.pagination_token,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(rest.results.len(), 1);
    assert!(rest.pagination_token.is_empty());
    let Some(batch_result::Outcome::Error(error)) = &rest.results[0].outcome else { panic!("error result") };
    assert_eq!(error.code, Code::NotFound as i32);

    let second = batches.create_batch(CreateBatchRequest { name: "later".into(), ..Default::default() }).await.unwrap().into_inner();
    let first_page = batches.list_batches(ListBatchesRequest { limit: 1, ..Default::default() }).await.unwrap().into_inner();
    assert_eq!(first_page.batches[0].batch_id, second.batch_id, "newest first");
    let next_page =
        batches.list_batches(ListBatchesRequest { limit: 1, pagination_token: first_page.pagination_token }).await.unwrap().into_inner();
    assert_eq!(next_page.batches[0].batch_id, created.batch_id);
    assert!(next_page.pagination_token.is_empty());
    gateway.stop().await;
}

#[tokio::test]
async fn cancelling_a_batch_cancels_its_pending_requests() {
    let gateway = TestGateway::start(&["--batch-interval-ms", "200"]).await;
    let mut batches = BatchMgmtClient::new(gateway.channel().await);
    let requests = (0..10).map(|index| chat_batch_request(&format!("r{index}"), "hello")).collect();
    let created =
        batches.create_batch(CreateBatchRequest { name: "to cancel".into(), requests, ..Default::default() }).await.unwrap().into_inner();
    tokio::time::sleep(Duration::from_millis(450)).await;
    let cancelled = batches.cancel_batch(CancelBatchRequest { batch_id: created.batch_id.clone() }).await.unwrap().into_inner();
    assert_eq!(cancelled.status, BatchStatus::Cancelled as i32);
    assert!(cancelled.cancel_time > 0);
    let state = cancelled.state.unwrap();
    assert_eq!(state.num_pending, 0);
    assert!(state.num_success >= 1 && state.num_cancelled >= 1, "{state:?}");
    assert_eq!(state.num_success + state.num_cancelled, 10);
    let results = batches
        .list_batch_results(ListBatchResultsRequest { batch_id: created.batch_id, ..Default::default() })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(results.results.len() as i64, state.num_success, "finished results stay");
    gateway.stop().await;
}
