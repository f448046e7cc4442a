//! xai_api.Auth.
use tonic::{Request, Response, Status};

use super::Shared;
use crate::{
    backend::Permission,
    proto::{
        auth_server::Auth, ApiKey, CreateApiKeyRequest, DeleteApiKeyRequest, Empty, GetApiKeyRequest, ListApiKeysRequest,
        ListApiKeysResponse,
    },
};

pub struct AuthService(pub Shared);

#[tonic::async_trait]
impl Auth for AuthService {
    async fn get_api_key(&self, request: Request<GetApiKeyRequest>) -> Result<Response<ApiKey>, Status> {
        let caller = self.0.authorize(&request, Permission::AnyValidKey).await?;
        self.0.backend.get_api_key(&caller).await.map(Response::new)
    }

    async fn list_api_keys(&self, request: Request<ListApiKeysRequest>) -> Result<Response<ListApiKeysResponse>, Status> {
        let caller = self.0.authorize(&request, Permission::Keys).await?;
        self.0.backend.list_api_keys(&caller).await.map(Response::new)
    }

    async fn create_api_key(&self, request: Request<CreateApiKeyRequest>) -> Result<Response<ApiKey>, Status> {
        let caller = self.0.authorize(&request, Permission::Keys).await?;
        self.0.backend.create_api_key(&caller, request.into_inner()).await.map(Response::new)
    }

    async fn delete_api_key(&self, request: Request<DeleteApiKeyRequest>) -> Result<Response<Empty>, Status> {
        let caller = self.0.authorize(&request, Permission::Keys).await?;
        self.0.backend.delete_api_key(&caller, request.into_inner()).await.map(Response::new)
    }
}
