//! xai_api.Image.
use tonic::{Request, Response, Status};

use super::Shared;
use crate::{
    backend::Permission,
    proto::{image_server::Image, ImageEditRequest, ImageRequest, ImageResponse},
};

pub struct ImageService(pub Shared);

#[tonic::async_trait]
impl Image for ImageService {
    async fn create_image(&self, request: Request<ImageRequest>) -> Result<Response<ImageResponse>, Status> {
        let caller = self.0.authorize(&request, Permission::Image).await?;
        self.0.backend.create_image(&caller, request.into_inner()).await.map(Response::new)
    }

    async fn edit_image(&self, request: Request<ImageEditRequest>) -> Result<Response<ImageResponse>, Status> {
        let caller = self.0.authorize(&request, Permission::Image).await?;
        self.0.backend.edit_image(&caller, request.into_inner()).await.map(Response::new)
    }
}
