//! xai_api.Models.
use tonic::{Request, Response, Status};

use super::Shared;
use crate::{
    backend::Permission,
    proto::{
        models_server::Models, GetImageGenerationModelRequest, GetLanguageModelRequest, GetModelRequest, ImageGenerationModel,
        LanguageModel, ListImageGenerationModelsRequest, ListImageGenerationModelsResponse, ListLanguageModelsRequest,
        ListLanguageModelsResponse, ListModelsRequest, ListModelsResponse, Model,
    },
};

pub struct ModelsService(pub Shared);

#[tonic::async_trait]
impl Models for ModelsService {
    async fn list_models(&self, request: Request<ListModelsRequest>) -> Result<Response<ListModelsResponse>, Status> {
        let caller = self.0.authorize(&request, Permission::Models).await?;
        let models = self.0.backend.list_models(&caller).await?;
        Ok(Response::new(ListModelsResponse { models }))
    }

    async fn get_model(&self, request: Request<GetModelRequest>) -> Result<Response<Model>, Status> {
        let caller = self.0.authorize(&request, Permission::Models).await?;
        self.0.backend.get_model(&caller, &request.get_ref().name).await.map(Response::new)
    }

    async fn list_language_models(
        &self,
        request: Request<ListLanguageModelsRequest>,
    ) -> Result<Response<ListLanguageModelsResponse>, Status> {
        let caller = self.0.authorize(&request, Permission::Models).await?;
        let models = self.0.backend.list_language_models(&caller).await?;
        Ok(Response::new(ListLanguageModelsResponse { models }))
    }

    async fn get_language_model(&self, request: Request<GetLanguageModelRequest>) -> Result<Response<LanguageModel>, Status> {
        let caller = self.0.authorize(&request, Permission::Models).await?;
        self.0.backend.get_language_model(&caller, &request.get_ref().name).await.map(Response::new)
    }

    async fn list_image_generation_models(
        &self,
        request: Request<ListImageGenerationModelsRequest>,
    ) -> Result<Response<ListImageGenerationModelsResponse>, Status> {
        let caller = self.0.authorize(&request, Permission::Models).await?;
        let models = self.0.backend.list_image_generation_models(&caller).await?;
        Ok(Response::new(ListImageGenerationModelsResponse { models }))
    }

    async fn get_image_generation_model(
        &self,
        request: Request<GetImageGenerationModelRequest>,
    ) -> Result<Response<ImageGenerationModel>, Status> {
        let caller = self.0.authorize(&request, Permission::Models).await?;
        self.0.backend.get_image_generation_model(&caller, &request.get_ref().name).await.map(Response::new)
    }
}
