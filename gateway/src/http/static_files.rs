//! Non-gRPC routes: the built app and generated images. An app file goes out precompressed when
//! the build wrote `.br`/`.gz` copies beside it (scripts/compress-dist.mjs) and the browser
//! accepts them, with the Cache-Control and ETag of [`static_caching`], and every response but
//! a 304 with its Content-Security-Policy. Unknown paths get index.html (the SPA fallback), so
//! client-side routes survive a reload; it is compressed and revalidated like the page itself.
//! `/embed` gets embed.html, the widget's own smaller build, when the build has one.
//!
//! No compression per request (tower-http's CompressionLayer): without copies (a build that
//! skipped the script) files go out as they are. Compressing per request would redo the same
//! work for every visitor at a lower level than the build's brotli 11, and gives nothing a
//! stable ETag could name.
use std::{
    io,
    path::{Component, Path, PathBuf},
    sync::Arc,
};

use axum::{
    body::Body,
    extract::Request,
    response::{IntoResponse, Response},
};
use http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use super::{
    app_headers::{config_endpoint_origin, content_security_policy, inline_script_hashes, is_widget_path},
    static_caching::{self, Conditions, PerFileCache},
};
use crate::store::Store;

/// The largest index.html hashed for the policy (trunk writes about 2 KiB).
const MAX_HTML_BYTES: u64 = 4 << 20;

/// The widget build's page (scripts/build-app.sh): the chat alone, without the console's pages.
const EMBED_PAGE: &str = "embed.html";

/// The built app: its files, and the origins its pages may call besides their own.
#[derive(Clone)]
pub struct AppFiles {
    files: ServeDir,
    index: ServeFile,
    /// The widget's own build, for `/embed` (when the build has one; else index.html serves it).
    embed: ServeFile,
    dir: Arc<PathBuf>,
    config_file: Arc<PathBuf>,
    endpoints: Arc<[String]>,
    /// Of each file sent (x.wasm.br has its own).
    etags: Arc<PerFileCache<HeaderValue>>,
    /// Of each uncompressed HTML file (what the browser runs, whichever copy it was sent).
    script_hashes: Arc<PerFileCache<Arc<[String]>>>,
}

/// Serves `dir`; unknown paths get its index.html so client-side routes survive a reload.
/// `endpoints`: origins (`--app-endpoint`) the app's pages may call besides their own and the
/// endpoint of the `config.json` in `dir`.
pub fn app_files(dir: &Path, endpoints: &[String]) -> AppFiles {
    AppFiles {
        files: ServeDir::new(dir).precompressed_br().precompressed_gzip(),
        index: ServeFile::new(dir.join("index.html")).precompressed_br().precompressed_gzip(),
        embed: ServeFile::new(dir.join(EMBED_PAGE)).precompressed_br().precompressed_gzip(),
        dir: Arc::new(dir.to_path_buf()),
        config_file: Arc::new(dir.join("config.json")),
        endpoints: endpoints.into(),
        etags: Arc::new(PerFileCache::new(static_caching::strong_etag)),
        script_hashes: Arc::new(PerFileCache::new(html_script_hashes)),
    }
}

fn html_script_hashes(path: &Path) -> io::Result<Arc<[String]>> {
    use std::io::Read as _;
    let mut html = String::new();
    std::fs::File::open(path)?.take(MAX_HTML_BYTES + 1).read_to_string(&mut html)?;
    if html.len() as u64 > MAX_HTML_BYTES {
        return Err(io::Error::other(format!("over {MAX_HTML_BYTES} bytes")));
    }
    Ok(inline_script_hashes(&html).into())
}

/// An app response and the file it sends (None for a redirect or an error), with its Cache-Control.
struct Served {
    response: Response,
    file: Option<PathBuf>,
    cache_control: HeaderValue,
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

    /// The file at `uri`, or index.html when there is none, in the encoding `headers` accept
    /// and ServeDir finds a copy for.
    async fn serve(&self, method: &Method, uri: &Uri, headers: &HeaderMap) -> Served {
        let request = || {
            let mut request = Request::new(Body::empty());
            (*request.method_mut(), *request.uri_mut(), *request.headers_mut()) = (method.clone(), uri.clone(), headers.clone());
            request
        };
        let Ok(response) = self.files.clone().oneshot(request()).await;
        if response.status() != StatusCode::NOT_FOUND {
            let file = if response.status().is_success() { self.file_at(uri.path()).await } else { None };
            return Served { response: response.into_response(), file, cache_control: static_caching::cache_control(uri.path()) };
        }
        let widget_build = is_widget_path(uri.path()) && tokio::fs::try_exists(self.dir.join(EMBED_PAGE)).await.unwrap_or(false);
        let (page, name) = if widget_build { (&self.embed, EMBED_PAGE) } else { (&self.index, "index.html") };
        let Ok(response) = page.clone().oneshot(request()).await;
        let file = response.status().is_success().then(|| self.dir.join(name));
        Served { response: response.into_response(), file, cache_control: static_caching::revalidate() }
    }

    /// The file ServeDir has just sent for `uri_path` (it has checked the path): the same
    /// decoding and joining, and a directory's index.html.
    async fn file_at(&self, uri_path: &str) -> Option<PathBuf> {
        let decoded = percent_encoding::percent_decode_str(uri_path).decode_utf8().ok()?;
        let mut file = self.dir.to_path_buf();
        for component in Path::new(decoded.trim_start_matches('/')).components() {
            match component {
                Component::Normal(part) => file.push(part),
                Component::CurDir => {}
                _ => return None,
            }
        }
        if decoded.ends_with('/') && tokio::fs::metadata(&file).await.is_ok_and(|metadata| metadata.is_dir()) {
            file.push("index.html");
        }
        Some(file)
    }
}

/// The precompressed copy of `file` a response sends (by its Content-Encoding), if any.
fn encoded_copy(file: &Path, response_headers: &HeaderMap) -> Option<PathBuf> {
    let suffix = match response_headers.get(header::CONTENT_ENCODING)?.as_bytes() {
        b"br" => ".br",
        b"gzip" => ".gz",
        _ => return None,
    };
    let mut name = file.as_os_str().to_owned();
    name.push(suffix);
    Some(name.into())
}

/// Whether `copy` was made before `file` last changed (someone edited the file in place and
/// did not rerun the compression): it would send the old content, and index.html's old
/// scripts against the new page's policy. Whole seconds, like HTTP dates and the times the
/// build script gives its copies.
async fn copy_is_stale(file: &Path, copy: &Path) -> bool {
    let seconds = |metadata: io::Result<std::fs::Metadata>| {
        metadata.ok()?.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok().map(|elapsed| elapsed.as_secs())
    };
    match (seconds(tokio::fs::metadata(file).await), seconds(tokio::fs::metadata(copy).await)) {
        (Some(file), Some(copy)) => copy < file,
        _ => false,
    }
}

/// A 304 with the headers the 200 would have had to keep the cached copy current (RFC 9110
/// 15.4.5): no Content-Security-Policy, which would replace the cached page's own.
fn not_modified(headers: &HeaderMap) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    for name in [header::CACHE_CONTROL, header::ETAG, header::VARY, header::LAST_MODIFIED] {
        if let Some(value) = headers.get(&name) {
            response.headers_mut().insert(name, value.clone());
        }
    }
    response
}

/// The router's fallback: unknown gRPC methods get UNIMPLEMENTED, GETs get the app.
pub async fn fallback(app: AppFiles, request: Request) -> Response {
    let path = request.uri().path().to_string();
    let is_grpc = request.headers().get(header::CONTENT_TYPE).is_some_and(|value| value.as_bytes().starts_with(b"application/grpc"));
    if is_grpc || path.starts_with("/xai_api.") {
        let status = tonic::Status::unimplemented(format!("unknown method {path}"));
        return status.into_http::<Body>();
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let (mut parts, _) = request.into_parts();
    if let Some(asset) = app.asset_behind_deep_link(&path).await {
        parts.uri = asset.parse().unwrap_or_default();
    }
    let conditions = Conditions::take(&mut parts.headers);
    let mut served = app.serve(&parts.method, &parts.uri, &parts.headers).await;
    if let Some(copy) = served.file.as_deref().and_then(|file| encoded_copy(file, served.response.headers())) {
        if copy_is_stale(served.file.as_deref().unwrap_or(&copy), &copy).await {
            tracing::warn!("{} is older than its source: sending the source; rerun scripts/compress-dist.mjs", copy.display());
            parts.headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("identity"));
            served = app.serve(&parts.method, &parts.uri, &parts.headers).await;
        }
    }
    let Served { mut response, file, cache_control } = served;
    let mut hashes: Arc<[String]> = Arc::new([]);
    if let Some(file) = file.filter(|_| matches!(response.status(), StatusCode::OK | StatusCode::PARTIAL_CONTENT)) {
        let sent = encoded_copy(&file, response.headers()).unwrap_or_else(|| file.clone());
        let etag = app.etags.get(&sent).await.inspect_err(|error| tracing::warn!("ETag of {}: {error}", sent.display())).ok();
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, cache_control);
        // Which copy is sent depends on Accept-Encoding, for every file: a file without copies
        // may get them in the next build.
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if let Some(etag) = etag {
            headers.insert(header::ETAG, etag);
        }
        if conditions.client_copy_is_current(headers.get(header::ETAG), headers.get(header::LAST_MODIFIED)) {
            return not_modified(headers);
        }
        let is_html = headers.get(header::CONTENT_TYPE).is_some_and(|value| value.as_bytes().starts_with(b"text/html"));
        if is_html {
            // The page's own inline scripts, from the uncompressed file (the copy was checked
            // not to be older).
            hashes = match app.script_hashes.get(&file).await {
                Ok(hashes) => hashes,
                Err(error) => {
                    tracing::error!("hashing the scripts of {}: {error}", file.display());
                    return StatusCode::INTERNAL_SERVER_ERROR.into_response();
                }
            };
        }
    }
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

/// A `.wasm` of `dir` that the build did not compress (scripts/compress-dist.mjs).
fn wasm_without_copies(dir: &Path) -> Option<PathBuf> {
    let entries = std::fs::read_dir(dir).ok()?;
    let mut wasm = entries.flatten().map(|entry| entry.path()).filter(|path| path.extension().is_some_and(|extension| extension == "wasm"));
    let has_copy = |wasm: &Path, suffix: &str| {
        let mut copy = wasm.as_os_str().to_owned();
        copy.push(suffix);
        Path::new(&copy).is_file()
    };
    wasm.find(|wasm| !has_copy(wasm, ".br") && !has_copy(wasm, ".gz"))
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
    if let Some(wasm) = wasm_without_copies(dir) {
        tracing::warn!("{} has no .br/.gz copy: browsers download the app uncompressed; build with scripts/build-app.sh (or run node scripts/compress-dist.mjs {shown})", wasm.display());
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
