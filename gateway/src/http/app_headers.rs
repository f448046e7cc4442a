//! The Content-Security-Policy of the app's responses. On its own it stops a page of the app
//! from being turned against its user: scripts run only from this origin (plus the exact
//! inline scripts of the served index.html, by hash), `<base>` cannot point elsewhere, calls
//! go only to this origin and the configured endpoints, no plugins, and only the widget's
//! route may be framed by other sites. `nosniff` and the Referrer-Policy go on every response
//! (see `server.rs`).
use http::HeaderValue;
use sha2::{Digest as _, Sha256};

/// Whether a request path is the widget's route, the one page other sites may frame: exactly
/// `/embed` or `/embed/` (the gateway serves the app at its root). The app uses the same
/// definition (`is_widget_route` in src/deploy/embed.rs): `/models/embed`, `/embed/x` or
/// `//embed` show the full app there, so they must not be framable.
pub fn is_widget_path(path: &str) -> bool {
    path == "/embed" || path == "/embed/"
}

/// `'sha256-…'` of every inline `<script>` (one without `src`) of `html`: index.html's base
/// script and the loader trunk writes. Hashing what is served keeps the policy right after a
/// rebuild without a restart.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    use base64::{engine::general_purpose::STANDARD, Engine as _};
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = find_ignore_case(rest, "<script") {
        let after_tag = &rest[start + "<script".len()..];
        let Some(tag_end) = after_tag.find('>') else {
            break;
        };
        let attributes = after_tag[..tag_end].to_ascii_lowercase();
        let body = &after_tag[tag_end + 1..];
        let Some(body_end) = find_ignore_case(body, "</script") else {
            break;
        };
        let has_src =
            attributes.split(|c: char| c.is_ascii_whitespace()).any(|attribute| attribute == "src" || attribute.starts_with("src="));
        if !has_src {
            hashes.push(format!("'sha256-{}'", STANDARD.encode(Sha256::digest(&body.as_bytes()[..body_end]))));
        }
        rest = &body[body_end..];
    }
    hashes
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack.as_bytes().windows(needle.len()).position(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The origin of the endpoint in the app's `config.json` (`{"endpoint": "https://grpc.example.com"}`),
/// if it names a plain `http(s)://host[:port]` one.
pub fn config_endpoint_origin(config_json: &[u8]) -> Option<String> {
    let config: serde_json::Value = serde_json::from_slice(config_json).ok()?;
    origin_of(config.get("endpoint")?.as_str()?)
}

/// `scheme://host[:port]` of `url`, or None when it is not an http(s) URL whose authority is
/// made of host characters only (anything else could smuggle a directive into the policy).
pub fn origin_of(url: &str) -> Option<String> {
    let uri: http::Uri = url.trim().parse().ok()?;
    let scheme = uri.scheme_str().filter(|scheme| matches!(*scheme, "http" | "https"))?;
    let authority = uri.authority()?.as_str();
    let plain = !authority.is_empty() && authority.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c));
    plain.then(|| format!("{scheme}://{}", authority.to_ascii_lowercase()))
}

/// The policy of an app response. `widget`: the page is the widget's route, which any site may
/// frame and whose host page chooses the endpoint (it never holds a remembered key);
/// `script_hashes`: [`inline_script_hashes`] of the page; `endpoints`: origins the app may
/// call besides its own.
pub fn content_security_policy(widget: bool, script_hashes: &[String], endpoints: &[String]) -> HeaderValue {
    let scripts = script_hashes.join(" ");
    let (connect, ancestors) = if widget {
        ("'self' https: http:".to_string(), "*")
    } else {
        (std::iter::once("'self'").chain(endpoints.iter().map(String::as_str)).collect::<Vec<_>>().join(" "), "'self'")
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {scripts}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: blob:; connect-src {connect}; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors {ancestors}"
    );
    HeaderValue::from_str(&policy)
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_widget_route_is_framable() {
        assert!(is_widget_path("/embed"));
        assert!(is_widget_path("/embed/"));
        for path in
            ["/", "/keys", "/chat", "/models/embed", "/chat/embed", "/embed/x", "//embed", "/embed//", "/embedded", "/tools/xai/embed"]
        {
            assert!(!is_widget_path(path), "{path}");
        }
    }

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_are_not() {
        let html = r#"<head><script>alert(1)</script><script type="module">
import init from './app.js';</script><SCRIPT src="x.js"></SCRIPT><script data-src="y">z</script></head>"#;
        let hashes = inline_script_hashes(html);
        // echo -n 'alert(1)' | openssl sha256 -binary | base64
        assert_eq!(hashes[0], "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='");
        assert_eq!(hashes.len(), 3, "{hashes:?}");
        assert!(inline_script_hashes("<p>no scripts</p>").is_empty());
    }

    #[test]
    fn the_config_endpoint_becomes_an_origin() {
        assert_eq!(
            config_endpoint_origin(br#"{"endpoint": "https://Grpc.Example.com/api/"}"#).as_deref(),
            Some("https://grpc.example.com")
        );
        assert_eq!(config_endpoint_origin(br#"{"endpoint": "http://127.0.0.1:8080"}"#).as_deref(), Some("http://127.0.0.1:8080"));
        for config in [
            &br#"{}"#[..],
            br#"{"endpoint": ""}"#,
            br#"{"endpoint": "javascript:x"}"#,
            b"not json",
            br#"{"endpoint": "https://a.example;script-src *"}"#,
        ] {
            assert_eq!(config_endpoint_origin(config), None, "{}", String::from_utf8_lossy(config));
        }
    }

    #[test]
    fn the_policy_limits_scripts_calls_and_framing() {
        let hashes = vec!["'sha256-abc='".to_string()];
        let app = content_security_policy(false, &hashes, &["https://grpc.example.com".into()]);
        let app = app.to_str().unwrap();
        for directive in [
            "base-uri 'self'",
            "object-src 'none'",
            "frame-ancestors 'self'",
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-abc='",
            "connect-src 'self' https://grpc.example.com;",
        ] {
            assert!(app.contains(directive), "{directive} in {app}");
        }
        let widget = content_security_policy(true, &hashes, &[]);
        assert!(widget.to_str().unwrap().ends_with("frame-ancestors *"), "{widget:?}");
    }
}
