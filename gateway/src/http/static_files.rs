//! Non-gRPC routes: the built app (with SPA fallback to index.html) and generated images.
use std::path::Path;

use axum::{
    body::Body,
    extract::Request,
    response::{IntoResponse, Response},
};
use http::{header, HeaderValue, Method, StatusCode};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::store::Store;

/// Serves `dir`; unknown paths get its index.html so client-side routes survive a reload.
pub fn app_files(dir: &Path) -> ServeDir<ServeFile> {
    ServeDir::new(dir).fallback(ServeFile::new(dir.join("index.html")))
}

/// The router's fallback: unknown gRPC methods get UNIMPLEMENTED, GETs get the app.
pub async fn fallback(app: ServeDir<ServeFile>, request: Request) -> Response {
    let path = request.uri().path().to_string();
    let is_grpc = request
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/grpc"));
    if is_grpc || path.starts_with("/xai_api.") {
        let status = tonic::Status::unimplemented(format!("unknown method {path}"));
        return status.into_http::<Body>();
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    match app.oneshot(request).await {
        Ok(response) => response.into_response(),
        Err(never) => match never {},
    }
}

/// `GET /images/<id>.png`: a PNG the image service generated.
pub async fn image(store: Store, file: String) -> Response {
    let Some(id) = file.strip_suffix(".png") else {
        return (StatusCode::NOT_FOUND, "images are served as /images/<id>.png").into_response();
    };
    match store.load_image(id.to_string()).await {
        Ok(Some(png)) => {
            let mut response = Body::from(png).into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
            // An id always names the same bytes.
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
            response
        }
        Ok(None) => (StatusCode::NOT_FOUND, format!("no image {id}")).into_response(),
        Err(error) => {
            tracing::error!("loading image {id}: {error}");
            (StatusCode::INTERNAL_SERVER_ERROR, "storage error").into_response()
        }
    }
}
