//! Non-gRPC routes: the built app (with SPA fallback to index.html, each response with its
//! Content-Security-Policy) and generated images.
use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

use axum::{
    body::Body,
    extract::Request,
    response::{IntoResponse, Response},
};
use http::{header, HeaderValue, Method, StatusCode};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use super::app_headers::{config_endpoint_origin, content_security_policy, inline_script_hashes, is_widget_path};
use crate::store::Store;

/// The largest index.html hashed for the policy (trunk writes about 2 KiB).
const MAX_HTML_BYTES: usize = 4 << 20;

/// The built app: its files, and the origins its pages may call besides their own.
#[derive(Clone)]
pub struct AppFiles {
    files: ServeDir<ServeFile>,
    dir: Arc<PathBuf>,
    config_file: Arc<PathBuf>,
    endpoints: Arc<[String]>,
}

/// Serves `dir`; unknown paths get its index.html so client-side routes survive a reload.
/// `endpoints`: origins (`--app-endpoint`) the app's pages may call besides their own and the
/// endpoint of the `config.json` in `dir`.
pub fn app_files(dir: &Path, endpoints: &[String]) -> AppFiles {
    AppFiles {
        files: ServeDir::new(dir).fallback(ServeFile::new(dir.join("index.html"))),
        dir: Arc::new(dir.to_path_buf()),
        config_file: Arc::new(dir.join("config.json")),
        endpoints: endpoints.into(),
    }
}

impl AppFiles {
    /// The origins the pages may call: the configured ones and config.json's endpoint, read now
    /// (a deployment edits that file without a restart).
    async fn endpoints(&self) -> Vec<String> {
        let mut endpoints = self.endpoints.to_vec();
        if let Ok(config) = tokio::fs::read(&*self.config_file).await {
            endpoints.extend(config_endpoint_origin(&config));
        }
        endpoints
    }

    /// The app file a request under a deep link means. A deep link's page is index.html,
    /// whose relative asset URLs resolve under the link's directory until its `<base>` script
    /// has run; the browser's preload scanner fetches them from there
    /// (`/models/main-3f9a.css`). Such a request gets the file of that name from the app's root
    /// (trunk's names carry a content hash), not index.html, which with `nosniff` would be a
    /// refused stylesheet in the console.
    async fn asset_behind_deep_link(&self, path: &str) -> Option<String> {
        let (directory, name) = path.rsplit_once('/')?;
        let plain = !directory.is_empty() && name.contains('.') && !name.starts_with('.') && !name.contains('\\') && !name.contains('%');
        if !plain {
            return None;
        }
        let metadata = tokio::fs::metadata(self.dir.join(name)).await.ok()?;
        metadata.is_file().then(|| format!("/{name}"))
    }
}

/// The router's fallback: unknown gRPC methods get UNIMPLEMENTED, GETs get the app.
pub async fn fallback(app: AppFiles, request: Request) -> Response {
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
    let mut request = request;
    if let Some(asset) = app.asset_behind_deep_link(&path).await {
        *request.uri_mut() = asset.parse().unwrap_or_default();
    }
    let response = match app.files.clone().oneshot(request).await {
        Ok(response) => response.into_response(),
        Err(never) => match never {},
    };
    // A 304 keeps the cached page and its policy: a new policy without the page's script
    // hashes would replace the cached one.
    if response.status() == StatusCode::NOT_MODIFIED {
        return response;
    }
    let is_html = response.headers().get(header::CONTENT_TYPE).is_some_and(|value| value.as_bytes().starts_with(b"text/html"));
    let (mut response, hashes) = if is_html {
        let (parts, body) = response.into_parts();
        let Ok(html) = axum::body::to_bytes(body, MAX_HTML_BYTES).await else {
            tracing::error!("index.html is over {MAX_HTML_BYTES} bytes or unreadable");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        };
        let hashes = inline_script_hashes(&String::from_utf8_lossy(&html));
        (Response::from_parts(parts, Body::from(html)), hashes)
    } else {
        (response, Vec::new())
    };
    let policy = content_security_policy(is_widget_path(&path), &hashes, &app.endpoints().await);
    response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, policy);
    response
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
            let error_id = crate::error_id::new_id();
            tracing::error!(error_id = %error_id, "loading image {id}: {error}");
            (StatusCode::INTERNAL_SERVER_ERROR, crate::error_id::public_message("loading the image", &error_id)).into_response()
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
