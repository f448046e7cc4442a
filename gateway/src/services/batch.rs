//! xai_api.BatchMgmt.
use tonic::{Request, Response, Status};

use super::Shared;
use crate::{
    backend::Permission,
    proto::{
        batch_mgmt_server::BatchMgmt, AddBatchRequestsRequest, Batch, CancelBatchRequest, CreateBatchRequest, GetBatchRequest,
        ListBatchResultsRequest, ListBatchResultsResponse, ListBatchesRequest, ListBatchesResponse,
    },
};

pub struct BatchService(pub Shared);

#[tonic::async_trait]
impl BatchMgmt for BatchService {
    async fn create_batch(&self, request: Request<CreateBatchRequest>) -> Result<Response<Batch>, Status> {
        let caller = self.0.authorize(&request, Permission::Batch).await?;
        self.0.backend.create_batch(&caller, request.into_inner()).await.map(Response::new)
    }

    async fn get_batch(&self, request: Request<GetBatchRequest>) -> Result<Response<Batch>, Status> {
        let caller = self.0.authorize(&request, Permission::Batch).await?;
        self.0.backend.get_batch(&caller, request.into_inner()).await.map(Response::new)
    }

    async fn list_batches(&self, request: Request<ListBatchesRequest>) -> Result<Response<ListBatchesResponse>, Status> {
        let caller = self.0.authorize(&request, Permission::Batch).await?;
        self.0.backend.list_batches(&caller, request.into_inner()).await.map(Response::new)
    }

    async fn cancel_batch(&self, request: Request<CancelBatchRequest>) -> Result<Response<Batch>, Status> {
        let caller = self.0.authorize(&request, Permission::Batch).await?;
        self.0.backend.cancel_batch(&caller, request.into_inner()).await.map(Response::new)
    }

    async fn add_batch_requests(&self, request: Request<AddBatchRequestsRequest>) -> Result<Response<Batch>, Status> {
        let caller = self.0.authorize(&request, Permission::Batch).await?;
        self.0.backend.add_batch_requests(&caller, request.into_inner()).await.map(Response::new)
    }

    async fn list_batch_results(&self, request: Request<ListBatchResultsRequest>) -> Result<Response<ListBatchResultsResponse>, Status> {
        let caller = self.0.authorize(&request, Permission::Batch).await?;
        self.0.backend.list_batch_results(&caller, request.into_inner()).await.map(Response::new)
    }
}
