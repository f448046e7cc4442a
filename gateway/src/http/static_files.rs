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
        Ok(response) => {
            let mut response = response.into_response();
            let is_html = response
                .headers()
                .get(header::CONTENT_TYPE)
                .is_some_and(|value| value.as_bytes().starts_with(b"text/html"));
            if is_html {
                if let Some(policy) = frame_policy(&path) {
                    response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, policy);
                }
            }
            response
        }
        Err(never) => match never {},
    }
}

/// Who may put a page of the app in a frame. The full app only the gateway's own pages: a
/// foreign page framing it could trick a click on "Delete key" (clickjacking). The widget's
/// route exists to be embedded anywhere; it holds no key and offers only the chat.
fn frame_policy(path: &str) -> Option<HeaderValue> {
    let is_widget = path.trim_end_matches('/').ends_with("/embed");
    (!is_widget).then(|| HeaderValue::from_static("frame-ancestors 'self'"))
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

/// Why the static dir cannot be served.
#[derive(Debug, thiserror::Error)]
pub enum StaticDirError {
    #[error("cannot read --static-dir {dir}: {reason}")]
    Unreadable { dir: String, reason: String },
    #[error("--static-dir {dir} contains {secret}: it would be served to anyone; put the data dir and key file elsewhere")]
    HoldsSecrets { dir: String, secret: String },
}

/// Checks `dir` before serving it: missing is a warning (the gateway then serves only the
/// API); unreadable is an error, and so is a dir holding one of `secrets` (the data dir, the
/// server key file), which would hand them to any browser.
pub fn check_dir(dir: &Path, secrets: &[&Path]) -> Result<(), StaticDirError> {
    let shown = dir.display().to_string();
    if !dir.exists() {
        tracing::warn!("static dir {shown} does not exist: only the API is served");
        return Ok(());
    }
    if let Err(error) = std::fs::read_dir(dir) {
        return Err(StaticDirError::Unreadable { dir: shown, reason: error.to_string() });
    }
    let Ok(root) = dir.canonicalize() else {
        return Ok(());
    };
    for secret in secrets {
        // The key file may not exist yet: check where it will be.
        let resolved = secret.canonicalize().ok().or_else(|| {
            let parent = secret.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new("."));
            Some(parent.canonicalize().ok()?.join(secret.file_name()?))
        });
        if resolved.is_some_and(|resolved| resolved.starts_with(&root)) {
            return Err(StaticDirError::HoldsSecrets { dir: shown, secret: secret.display().to_string() });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_widget_may_be_framed_by_other_sites() {
        assert!(frame_policy("/embed").is_none());
        assert!(frame_policy("/tools/xai/embed/").is_none());
        for path in ["/", "/keys", "/chat", "/embedded", "/index.html"] {
            assert_eq!(frame_policy(path).unwrap(), "frame-ancestors 'self'", "{path}");
        }
    }
}
