//! xai_api.Sample.
use tonic::{Request, Response, Status};

use super::Shared;
use crate::{
    backend::{BoxStream, Permission},
    metrics::TrackedStream,
    proto::{sample_server::Sample, RawSampleChunk, RawSampleRequest, RawSampleResponse},
};

pub struct SampleService(pub Shared);

#[tonic::async_trait]
impl Sample for SampleService {
    async fn raw_sample(&self, request: Request<RawSampleRequest>) -> Result<Response<RawSampleResponse>, Status> {
        let caller = self.0.authorize(&request, Permission::Sample).await?;
        self.0.backend.raw_sample(&caller, request.into_inner()).await.map(Response::new)
    }

    type RawSampleStreamStream = TrackedStream<BoxStream<RawSampleChunk>>;

    async fn raw_sample_stream(&self, request: Request<RawSampleRequest>) -> Result<Response<Self::RawSampleStreamStream>, Status> {
        let caller = self.0.authorize(&request, Permission::Sample).await?;
        let stream = self.0.backend.raw_sample_stream(&caller, request.into_inner()).await?;
        let method = "xai_api.Sample/RawSampleStream";
        Ok(Response::new(TrackedStream::new(stream, method, self.0.metrics.clone())))
    }
}
