//! How browsers may cache the app's files: a year for the files trunk names after their content,
//! revalidation for the rest (index.html, config.json, widget.js, favicon.svg), strong ETags
//! and the conditional requests that use them. Values computed from a file's bytes are kept per
//! version of the file, not recomputed per request.
use std::{
    collections::HashMap,
    io,
    path::{Path, PathBuf},
    sync::{Mutex, PoisonError},
    time::SystemTime,
};

use http::{header, HeaderMap, HeaderValue};
use sha2::{Digest as _, Sha256};

/// Cache-Control of a file whose name changes with its content: a year, never revalidated.
pub fn immutable() -> HeaderValue {
    HeaderValue::from_static("public, max-age=31536000, immutable")
}

/// Cache-Control of a file that keeps its name across builds (and of the SPA fallback): the
/// browser may keep it but asks, with its ETag, before each use.
pub fn revalidate() -> HeaderValue {
    HeaderValue::from_static("no-cache")
}

/// Cache-Control for the app file at URL path `path`.
pub fn cache_control(path: &str) -> HeaderValue {
    if is_content_hashed(path) {
        immutable()
    } else {
        revalidate()
    }
}

/// Whether trunk named the file at `path` after its content: a dash and its 64-bit hash in
/// lowercase hex, then `.` or `_` in the file name (`main-480e16c01ebb50dc.css`,
/// `xai-web-f3f26118388e484b_bg.wasm`), or at the end of a directory (wasm-bindgen's
/// `snippets/xai-web-<hash>/inline0.js`). Trunk writes the hash without leading zeros
/// (`tokens-73cd3d7755ae41f.css`): 12 to 16 digits (a shorter one is a 1 in 65,536 chance, and
/// only costs that file its year-long caching).
pub fn is_content_hashed(path: &str) -> bool {
    let segments: Vec<&str> = path.split('/').filter(|segment| !segment.is_empty()).collect();
    segments.iter().enumerate().any(|(index, segment)| {
        let is_file = index + 1 == segments.len();
        segment.match_indices('-').any(|(dash, _)| {
            let rest = &segment.as_bytes()[dash + 1..];
            let digits = rest.iter().take_while(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b)).count();
            let hash_length = (12..=16).contains(&digits);
            hash_length
                && match rest.get(digits) {
                    None => !is_file,
                    Some(next) => *next == b'.' || *next == b'_',
                }
        })
    })
}

/// A strong ETag of the file at `path`: the first 128 bits of its SHA-256. Each encoding is
/// its own file (x.wasm, x.wasm.br), so each representation gets its own tag, as a strong ETag
/// must.
pub fn strong_etag(path: &Path) -> io::Result<HeaderValue> {
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
    let mut hasher = Sha256::new();
    io::copy(&mut std::fs::File::open(path)?, &mut hasher)?;
    let digest = hasher.finalize();
    HeaderValue::from_str(&format!("\"{}\"", URL_SAFE_NO_PAD.encode(&digest[..16]))).map_err(io::Error::other)
}

/// The conditions of a GET the gateway answers itself (ServeDir knows no ETags): taken off the
/// request before ServeDir sees it, so that it cannot answer 304 from the date alone when the
/// ETag says the file changed.
#[derive(Default)]
pub struct Conditions {
    if_none_match: Vec<HeaderValue>,
    if_modified_since: Option<HeaderValue>,
}

impl Conditions {
    pub fn take(headers: &mut HeaderMap) -> Self {
        let if_none_match = headers.get_all(header::IF_NONE_MATCH).iter().cloned().collect();
        headers.remove(header::IF_NONE_MATCH);
        Self { if_none_match, if_modified_since: headers.remove(header::IF_MODIFIED_SINCE) }
    }

    /// Whether the client's copy is current (RFC 9110 13.2.2): If-None-Match names `etag`
    /// (weak comparison: `W/` ignored) or is `*`; only without If-None-Match does
    /// If-Modified-Since count, and then against `last_modified`.
    pub fn client_copy_is_current(&self, etag: Option<&HeaderValue>, last_modified: Option<&HeaderValue>) -> bool {
        if !self.if_none_match.is_empty() {
            let Some(etag) = etag.and_then(|etag| etag.to_str().ok()) else {
                return false;
            };
            return self.if_none_match.iter().filter_map(|value| value.to_str().ok()).flat_map(|list| list.split(',')).any(|tag| {
                let tag = tag.trim();
                tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag
            });
        }
        let date = |value: Option<&HeaderValue>| httpdate::parse_http_date(value?.to_str().ok()?).ok();
        match (date(self.if_modified_since.as_ref()), date(last_modified)) {
            (Some(since), Some(modified)) => modified <= since,
            _ => false,
        }
    }
}

/// A value computed from a file's bytes, kept until the file changes (another modification
/// time or length). Only files the gateway has just served are looked up, so the map holds
/// at most the app's files; a redeploy's new names replace old ones past [`Self::MAX_FILES`].
pub struct PerFileCache<T> {
    entries: Mutex<HashMap<PathBuf, (FileStamp, T)>>,
    compute: fn(&Path) -> io::Result<T>,
}

#[derive(Clone, Copy, PartialEq)]
struct FileStamp {
    modified: Option<SystemTime>,
    len: u64,
}

impl<T: Clone + Send + 'static> PerFileCache<T> {
    const MAX_FILES: usize = 4096;

    pub fn new(compute: fn(&Path) -> io::Result<T>) -> Self {
        Self { entries: Mutex::new(HashMap::new()), compute }
    }

    pub async fn get(&self, path: &Path) -> io::Result<T> {
        let metadata = tokio::fs::metadata(path).await?;
        let stamp = FileStamp { modified: metadata.modified().ok(), len: metadata.len() };
        if let Some((seen, value)) = self.entries.lock().unwrap_or_else(PoisonError::into_inner).get(path) {
            if *seen == stamp {
                return Ok(value.clone());
            }
        }
        let (owned, compute) = (path.to_path_buf(), self.compute);
        // Hashing a 2 MB wasm takes milliseconds: off the async workers.
        let value = tokio::task::spawn_blocking(move || compute(&owned)).await.map_err(io::Error::other)??;
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= Self::MAX_FILES {
            entries.clear();
        }
        entries.insert(path.to_path_buf(), (stamp, value.clone()));
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunks_hashed_names_are_immutable_and_the_rest_revalidated() {
        for path in [
            "/xai-web-f3f26118388e484b_bg.wasm",
            "/xai-web-f3f26118388e484b.js",
            "/main-480e16c01ebb50dc.css",
            "/snippets/xai-web-0123456789abcdef/inline0.js",
            // The lazily loaded pages (tools/wasm-bindgen/src/split.rs).
            "/snippets/wasm-split-0123456789abcdef/__wasm_split.js",
            "/snippets/wasm-split-0123456789abcdef/chunk_7.wasm",
            "/tokens-73cd3d7755ae41f.css",
            "/main-80e16c01ebb5.css",
        ] {
            assert_eq!(cache_control(path), immutable(), "{path}");
        }
        for path in [
            "/",
            "/index.html",
            "/config.json",
            "/widget.js",
            "/favicon.svg",
            "/chat-0123456789abcdef",
            "/sw.js",
            "/manifest.webmanifest",
            "/main-480E16C01EBB50DC.css",
            "/main-480e16c01eb.css",
            "/main-480e16c01ebb50dc0.css",
            "/main-480e16c01ebb50dcx.css",
        ] {
            assert_eq!(cache_control(path), revalidate(), "{path}");
        }
    }

    fn conditions(pairs: &[(header::HeaderName, &str)]) -> Conditions {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(name, HeaderValue::from_str(value).unwrap());
        }
        let taken = Conditions::take(&mut headers);
        assert!(headers.is_empty(), "ServeDir must not see them");
        taken
    }

    #[test]
    fn if_none_match_decides_before_the_date() {
        let etag = HeaderValue::from_static("\"abc\"");
        let (old, new) =
            (HeaderValue::from_static("Wed, 02 Dec 2026 10:00:00 GMT"), HeaderValue::from_static("Wed, 02 Dec 2026 11:00:00 GMT"));
        let current = |pairs: &[(header::HeaderName, &str)], modified: &HeaderValue| {
            conditions(pairs).client_copy_is_current(Some(&etag), Some(modified))
        };
        assert!(current(&[(header::IF_NONE_MATCH, "\"abc\"")], &new));
        assert!(current(&[(header::IF_NONE_MATCH, "\"x\", W/\"abc\"")], &new));
        assert!(current(&[(header::IF_NONE_MATCH, "\"x\""), (header::IF_NONE_MATCH, "\"abc\"")], &new));
        assert!(current(&[(header::IF_NONE_MATCH, "*")], &new));
        // The file changed within the same second, or a deploy kept old dates: the tag wins.
        assert!(!current(&[(header::IF_NONE_MATCH, "\"old\""), (header::IF_MODIFIED_SINCE, "Wed, 02 Dec 2026 11:00:00 GMT")], &new));
        assert!(current(&[(header::IF_MODIFIED_SINCE, "Wed, 02 Dec 2026 11:00:00 GMT")], &new));
        assert!(current(&[(header::IF_MODIFIED_SINCE, "Wed, 02 Dec 2026 11:00:00 GMT")], &old));
        assert!(!current(&[(header::IF_MODIFIED_SINCE, "Wed, 02 Dec 2026 10:30:00 GMT")], &new));
        assert!(!current(&[(header::IF_MODIFIED_SINCE, "not a date")], &new));
        assert!(!current(&[], &new));
    }

    #[tokio::test]
    async fn etags_follow_the_bytes_and_are_computed_once_per_version() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("index.html");
        std::fs::write(&file, "one").unwrap();
        let cache = PerFileCache::new(strong_etag);
        let first = cache.get(&file).await.unwrap();
        assert_eq!(first, strong_etag(&file).unwrap());
        assert!(first.to_str().unwrap().starts_with('"') && first.len() == 24, "{first:?}");
        std::fs::write(&file, "two!").unwrap();
        let second = cache.get(&file).await.unwrap();
        assert_ne!(first, second, "a new length is a new version");
        assert!(cache.get(&dir.path().join("missing")).await.is_err());
    }
}
