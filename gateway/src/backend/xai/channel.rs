//! The connection to the upstream API: the validated `--upstream-url`, the TLS channel, and a
//! thin layer that cleans the upstream's status headers before tonic reads them.
//!
//! Why the cleaning: tonic 0.14.9's `Status::from_header_map` panics on a
//! `grpc-status-details-bin` that is not valid base64, and it reads that header from every
//! upstream response and trailer. A broken or hostile upstream must give the caller an error
//! status, never a panicked connection task.
use std::{
    fmt,
    future::Future,
    pin::Pin,
    str::FromStr,
    task::{ready, Context, Poll},
    time::Duration,
};

use base64::{
    engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig},
    Engine as _,
};
use bytes::Bytes;
use http::{HeaderMap, Uri};
use http_body::{Body, Frame};
use tonic::{
    body::Body as TonicBody,
    transport::{Channel, ClientTlsConfig, Endpoint},
};
use tower_service::Service;

/// A checked `--upstream-url`: `https://host[:port]` (or `http://` for tests and local fakes),
/// without path, query or credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct UpstreamUrl(Uri);

impl UpstreamUrl {
    pub fn uri(&self) -> &Uri {
        &self.0
    }

    fn is_tls(&self) -> bool {
        self.0.scheme_str() == Some("https")
    }
}

impl fmt::Debug for UpstreamUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Display for UpstreamUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = self.0.scheme_str().unwrap_or("https");
        let authority = self.0.authority().map(|authority| authority.as_str()).unwrap_or("");
        write!(f, "{scheme}://{authority}")
    }
}

impl FromStr for UpstreamUrl {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let uri: Uri = text.parse().map_err(|error| format!("{text:?} is not a URL ({error}); example: https://api.x.ai"))?;
        match uri.scheme_str() {
            Some("https") | Some("http") => {}
            Some(other) => return Err(format!("scheme {other:?} is not supported: use https:// (or http:// for a local test server)")),
            None => return Err(format!("{text:?} has no scheme: write it as https://{text}")),
        }
        let Some(authority) = uri.authority() else { return Err(format!("{text:?} has no host")) };
        if authority.host().is_empty() {
            return Err(format!("{text:?} has no host"));
        }
        if authority.as_str().contains('@') {
            return Err("the upstream URL must not carry credentials: keys travel only as Bearer metadata".to_string());
        }
        if !matches!(uri.path(), "" | "/") || uri.query().is_some() {
            return Err(format!("{text:?} has a path or query: gRPC needs the bare origin, e.g. https://api.x.ai"));
        }
        Ok(Self(uri))
    }
}

/// Largest upstream message the gateway accepts or sends (images travel inline; the official
/// SDK allows 20 MiB, the gateway's own limit is higher).
pub const MAX_UPSTREAM_MESSAGE_BYTES: usize = 64 * 1024 * 1024;

/// Opens a lazy channel (no network until the first call, so startup works offline).
pub fn connect(url: &UpstreamUrl) -> Result<UpstreamChannel, tonic::transport::Error> {
    let mut endpoint = Endpoint::from(url.uri().clone())
        .connect_timeout(Duration::from_secs(10))
        .tcp_nodelay(true)
        .http2_keep_alive_interval(Duration::from_secs(30))
        .keep_alive_timeout(Duration::from_secs(20))
        .keep_alive_while_idle(false)
        .user_agent(concat!("xai-gateway/", env!("CARGO_PKG_VERSION")))?;
    if url.is_tls() {
        endpoint = endpoint.tls_config(ClientTlsConfig::new().with_webpki_roots().assume_http2(true))?;
    }
    Ok(UpstreamChannel { inner: endpoint.connect_lazy() })
}

/// The channel with cleaned status headers (see the module comment).
#[derive(Clone, Debug)]
pub struct UpstreamChannel {
    inner: Channel,
}

impl Service<http::Request<TonicBody>> for UpstreamChannel {
    type Response = http::Response<TonicBody>;
    type Error = tonic::transport::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<TonicBody>) -> Self::Future {
        let future = self.inner.call(request);
        Box::pin(async move {
            let response = future.await?;
            if let Some(not_grpc) = not_grpc(&response) {
                return Ok(not_grpc);
            }
            let (mut parts, body) = response.into_parts();
            clean_status_headers(&mut parts.headers);
            let body = CleanTrailers { inner: body, frames: FrameTracker::default() };
            Ok(http::Response::from_parts(parts, TonicBody::new(body)))
        })
    }
}

/// A trailers-only status in place of an answer that is not gRPC (an HTML error page from a
/// proxy, say), its code mapped from the HTTP status as gRPC's HTTP mapping says (tonic would
/// try to decode the page and report INTERNAL; 502/503/504 must stay retryable).
fn not_grpc(response: &http::Response<TonicBody>) -> Option<http::Response<TonicBody>> {
    let content_type = response.headers().get(http::header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).unwrap_or("");
    let status = response.status();
    if status == http::StatusCode::OK && content_type.starts_with("application/grpc") {
        return None;
    }
    let code = match status.as_u16() {
        400 => tonic::Code::Internal,
        401 => tonic::Code::Unauthenticated,
        403 => tonic::Code::PermissionDenied,
        404 => tonic::Code::Unimplemented,
        429 | 502 | 503 | 504 => tonic::Code::Unavailable,
        _ => tonic::Code::Unknown,
    };
    let shown_type: String = content_type.chars().filter(|c| c.is_ascii_graphic()).take(60).collect();
    let message = format!("upstream API answered HTTP {} with {:?}, not gRPC", status.as_u16(), shown_type);
    tracing::warn!("{message}");
    let mut answer = http::Response::new(TonicBody::empty());
    let headers = answer.headers_mut();
    headers.insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/grpc"));
    headers.insert("grpc-status", http::HeaderValue::from(code as i32));
    // Only printable ASCII without '%' went in, so the message needs no percent-encoding.
    let message = message.replace('%', " ");
    headers.insert("grpc-message", http::HeaderValue::from_str(&message).unwrap_or_else(|_| http::HeaderValue::from_static("not gRPC")));
    Some(answer)
}

/// Drops a `grpc-status-details-bin` that tonic could not decode (the code and message stay).
fn clean_status_headers(headers: &mut HeaderMap) {
    const DETAILS: &str = "grpc-status-details-bin";
    // The engine tonic decodes the header with (its crate-private util::base64::STANDARD).
    const TONIC_BASE64: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let valid = headers.get_all(DETAILS).iter().all(|value| TONIC_BASE64.decode(value.as_bytes()).is_ok());
    if !valid {
        tracing::warn!("upstream sent an undecodable grpc-status-details-bin; dropped it");
        headers.remove(DETAILS);
    }
}

/// Follows the gRPC framing (1 flag byte, 4 length bytes, the message) of a body as it passes,
/// to notice trailers that arrive in the middle of a message: tonic 0.14.9 then drops the
/// partial message and reports success, so a truncated answer would look complete.
#[derive(Debug, Default)]
struct FrameTracker {
    /// Bytes of the current frame header seen (0: between frames; 5: inside a message).
    header_seen: usize,
    header: [u8; 5],
    /// Message bytes still to come in the current frame.
    message_left: usize,
}

impl FrameTracker {
    fn advance(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            if self.header_seen < 5 {
                let take = (5 - self.header_seen).min(data.len());
                self.header[self.header_seen..self.header_seen + take].copy_from_slice(&data[..take]);
                self.header_seen += take;
                data = &data[take..];
                if self.header_seen == 5 {
                    self.message_left = u32::from_be_bytes([self.header[1], self.header[2], self.header[3], self.header[4]]) as usize;
                }
            } else {
                let take = self.message_left.min(data.len());
                self.message_left -= take;
                data = &data[take..];
            }
            if self.header_seen == 5 && self.message_left == 0 {
                self.header_seen = 0;
            }
        }
    }

    fn inside_a_frame(&self) -> bool {
        self.header_seen > 0
    }
}

pin_project_lite::pin_project! {
    /// The upstream body with cleaned trailers.
    struct CleanTrailers {
        #[pin]
        inner: TonicBody,
        frames: FrameTracker,
    }
}

impl Body for CleanTrailers {
    type Data = Bytes;
    type Error = tonic::Status;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.project();
        let mut polled = ready!(this.inner.poll_frame(cx));
        if let Some(Ok(frame)) = &mut polled {
            if let Some(data) = frame.data_ref() {
                this.frames.advance(data);
            } else if let Some(trailers) = frame.trailers_mut() {
                clean_status_headers(trailers);
                if this.frames.inside_a_frame() {
                    tracing::warn!("upstream stream ended inside a message");
                    trailers.insert("grpc-status", http::HeaderValue::from(tonic::Code::Internal as i32));
                    trailers.insert("grpc-message", http::HeaderValue::from_static("the upstream answer ended in the middle of a message"));
                    trailers.remove("grpc-status-details-bin");
                }
            }
        }
        Poll::Ready(polled)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstream_urls_are_checked() {
        assert_eq!("https://api.x.ai".parse::<UpstreamUrl>().unwrap().to_string(), "https://api.x.ai");
        assert_eq!("http://127.0.0.1:5000/".parse::<UpstreamUrl>().unwrap().to_string(), "http://127.0.0.1:5000");
        assert!("api.x.ai".parse::<UpstreamUrl>().unwrap_err().contains("no scheme"));
        assert!("ftp://api.x.ai".parse::<UpstreamUrl>().unwrap_err().contains("not supported"));
        assert!("https://api.x.ai/v1".parse::<UpstreamUrl>().unwrap_err().contains("path"));
        assert!("https://user:pw@api.x.ai".parse::<UpstreamUrl>().unwrap_err().contains("credentials"));
        assert!("https://".parse::<UpstreamUrl>().is_err());
    }

    #[test]
    fn frames_are_followed_across_chunks() {
        let mut frames = FrameTracker::default();
        frames.advance(&[0, 0, 0]);
        assert!(frames.inside_a_frame(), "half a header");
        frames.advance(&[0, 3, 7, 7]);
        assert!(frames.inside_a_frame(), "two of three message bytes");
        frames.advance(&[7, 0, 0, 0, 0, 0]);
        assert!(!frames.inside_a_frame(), "the message, then an empty one");
        frames.advance(&[0, 0, 0, 0, 16, 1]);
        assert!(frames.inside_a_frame(), "a frame announcing 16 bytes with 1 sent");
    }

    #[test]
    fn undecodable_status_details_are_dropped() {
        let mut headers = HeaderMap::new();
        headers.insert("grpc-status", "8".parse().unwrap());
        headers.insert("grpc-status-details-bin", "!!not base64!!".parse().unwrap());
        clean_status_headers(&mut headers);
        assert!(!headers.contains_key("grpc-status-details-bin"));
        assert_eq!(headers["grpc-status"], "8");
        headers.insert("grpc-status-details-bin", "CAg".parse().unwrap());
        clean_status_headers(&mut headers);
        assert!(headers.contains_key("grpc-status-details-bin"), "valid unpadded base64 stays");
    }
}
