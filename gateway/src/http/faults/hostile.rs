//! Hostile answers: the gateway plays a broken or malicious gRPC-Web endpoint, so browser tests
//! can check that the client survives each (a clear error, never a panic or a hang). They act on
//! the gRPC-Web response as it leaves the gateway (outside tonic-web), frame by frame.
use std::{
    collections::VecDeque,
    pin::Pin,
    task::{ready, Context, Poll},
};

use bytes::{Buf, BufMut, Bytes, BytesMut};
use http::{header, HeaderMap, HeaderValue, Response, StatusCode};
use http_body::{Body, Frame};
use tonic::body::Body as TonicBody;

/// Not base64: what a broken endpoint might put in `grpc-status-details-bin`.
pub const GARBAGE_DETAILS: &str = "!!not*base64!!";
/// A flag byte no gRPC-Web frame has (0 or 1 for data, 0x80 for trailers).
pub const GARBAGE_FLAG: u8 = 0x42;
/// What `huge-length` announces: 4 GiB - 1.
pub const HUGE_LENGTH: u32 = u32::MAX;
/// What `short-frame` announces, and how much of it follows before the body ends.
pub const SHORT_FRAME_LENGTH: u32 = 1 << 20;
const SHORT_FRAME_SENT: usize = 10;
const GRPC_HEADER_LEN: usize = 5;
const TRAILER_FLAG: u8 = 0x80;

/// One hostile answer (see `--help`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hostile {
    /// An HTML error page with this HTTP status, as a failing proxy sends.
    HtmlError(u16),
    /// The real answer under another `content-type`.
    ContentType(String),
    /// HTTP 200, a gRPC-Web content type, an empty body and no status anywhere.
    Empty200,
    /// After N messages, a frame with an invalid flag byte; then the body ends.
    GarbageFrame(u64),
    /// After N messages, a frame announcing 4 GiB; a few bytes of it, then nothing (open).
    HugeLength(u64),
    /// After N messages, a frame announcing 1 MiB of which 10 bytes follow; then the body ends.
    ShortFrame(u64),
    /// The real messages; the trailer frame is left out and the body ends cleanly.
    NoTrailers,
    /// The trailer frame's payload replaced by bytes that are no header block.
    BadTrailer,
    /// `grpc-status-details-bin` that is not base64, in the trailers (or trailers-only headers).
    GarbageDetails,
    /// Status UNAUTHENTICATED whose message is an HTML page quoting the caller's bearer token.
    HostileMessage,
}

impl Hostile {
    /// Parses `name[=value]`; None when `name` is not a hostile answer.
    pub fn parse(name: &str, value: Option<&str>) -> Option<Result<Hostile, String>> {
        let count = |value: Option<&str>| -> Result<u64, String> {
            match value {
                None => Ok(0),
                Some(text) => text.parse().map_err(|_| format!("{name}={text} is not a number")),
            }
        };
        let hostile = match name {
            "html-error" => value
                .unwrap_or("502")
                .parse::<u16>()
                .ok()
                .filter(|code| StatusCode::from_u16(*code).is_ok())
                .map(Hostile::HtmlError)
                .ok_or_else(|| format!("html-error={} is not an HTTP status", value.unwrap_or_default())),
            "content-type" => match value {
                Some(text) if HeaderValue::from_str(text).is_ok() && !text.is_empty() => Ok(Hostile::ContentType(text.to_owned())),
                _ => Err("content-type needs =TYPE".to_owned()),
            },
            "empty-200" => Ok(Hostile::Empty200),
            "garbage-frame" => count(value).map(Hostile::GarbageFrame),
            "huge-length" => count(value).map(Hostile::HugeLength),
            "short-frame" => count(value).map(Hostile::ShortFrame),
            "no-trailers" => Ok(Hostile::NoTrailers),
            "bad-trailer" => Ok(Hostile::BadTrailer),
            "details-bin" => match value {
                Some("garbage") => Ok(Hostile::GarbageDetails),
                _ => Err("details-bin takes =garbage".to_owned()),
            },
            "hostile-message" => Ok(Hostile::HostileMessage),
            _ => return None,
        };
        Some(hostile)
    }

    /// The whole answer, for the faults that never reach the service; None for the rest.
    pub fn replacement(&self, bearer: Option<&str>) -> Option<Response<TonicBody>> {
        match self {
            Hostile::HtmlError(code) => {
                let status = StatusCode::from_u16(*code).unwrap_or(StatusCode::BAD_GATEWAY);
                let page =
                    format!("<!DOCTYPE html><html><head><title>{status}</title></head><body><h1>{status}</h1><p>nginx</p></body></html>");
                let mut response = Response::new(TonicBody::new(http_body_util::Full::new(Bytes::from(page))));
                *response.status_mut() = status;
                response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
                Some(response)
            }
            Hostile::Empty200 => Some(grpc_web_response(Bytes::new())),
            Hostile::HostileMessage => {
                let token = bearer.map(|value| value.trim_start_matches("Bearer ").trim()).unwrap_or("(none sent)");
                let page =
                    format!("<html><body><h1>Unauthorized</h1><p>The key {token} is not valid.</p><script>alert(1)</script></body></html>");
                let message = percent_encode_message(&page);
                let trailer = format!("grpc-status:16\r\ngrpc-message:{message}\r\n");
                Some(grpc_web_response(framed(TRAILER_FLAG, trailer.as_bytes())))
            }
            _ => None,
        }
    }

    /// Changes the real answer's headers (before its body is wrapped by [`HostileBody`]).
    pub fn adjust_headers(&self, headers: &mut HeaderMap) {
        match self {
            Hostile::ContentType(content_type) => {
                if let Ok(value) = HeaderValue::from_str(content_type) {
                    headers.insert(header::CONTENT_TYPE, value);
                }
            }
            Hostile::GarbageDetails if headers.contains_key("grpc-status") => {
                headers.insert("grpc-status-details-bin", HeaderValue::from_static(GARBAGE_DETAILS));
            }
            _ => {}
        }
    }
}

/// gRPC's percent-encoding of `grpc-message`: bytes outside printable ASCII, and `%`, as %XX.
fn percent_encode_message(message: &str) -> String {
    message
        .bytes()
        .map(|byte| match byte {
            b' '..=b'~' if byte != b'%' => char::from(byte).to_string(),
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

fn framed(flag: u8, payload: &[u8]) -> Bytes {
    let mut frame = BytesMut::with_capacity(GRPC_HEADER_LEN + payload.len());
    frame.put_u8(flag);
    frame.put_u32(payload.len() as u32);
    frame.put_slice(payload);
    frame.freeze()
}

fn grpc_web_response(body: Bytes) -> Response<TonicBody> {
    let mut response = Response::new(TonicBody::new(http_body_util::Full::new(body)));
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/grpc-web+proto"));
    response
}

/// How the body ends after the hostile part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// Still passing the real answer through.
    Running,
    /// End the body once `pending` is sent.
    End,
    /// Never produce anything again (the stream stays open until the client gives up).
    Stall,
}

pin_project_lite::pin_project! {
    /// The real gRPC-Web answer with the hostile change applied to its frames.
    pub struct HostileBody<B> {
        #[pin]
        inner: B,
        hostile: Hostile,
        buffer: BytesMut,
        pending: VecDeque<Bytes>,
        messages_sent: u64,
        ending: Ending,
    }
}

impl<B> HostileBody<B> {
    pub fn new(inner: B, hostile: Hostile) -> Self {
        Self { inner, hostile, buffer: BytesMut::new(), pending: VecDeque::new(), messages_sent: 0, ending: Ending::Running }
    }
}

/// The hostile frame that replaces the rest of the answer after N messages, and how it ends.
fn injection(hostile: &Hostile, messages_sent: u64) -> Option<(Bytes, Ending)> {
    match *hostile {
        Hostile::GarbageFrame(after) if messages_sent == after => Some((framed(GARBAGE_FLAG, b"\x01\x02\x03"), Ending::End)),
        Hostile::HugeLength(after) if messages_sent == after => {
            let mut frame = BytesMut::new();
            frame.put_u8(0);
            frame.put_u32(HUGE_LENGTH);
            frame.put_slice(&[0x0a; 16]);
            Some((frame.freeze(), Ending::Stall))
        }
        Hostile::ShortFrame(after) if messages_sent == after => {
            let mut frame = BytesMut::new();
            frame.put_u8(0);
            frame.put_u32(SHORT_FRAME_LENGTH);
            frame.put_slice(&[0x0a; SHORT_FRAME_SENT]);
            Some((frame.freeze(), Ending::End))
        }
        _ => None,
    }
}

/// The trailer frame as the hostile answer sends it (None: left out).
fn trailer_frame(hostile: &Hostile, frame: Bytes) -> Option<Bytes> {
    match hostile {
        Hostile::NoTrailers => None,
        Hostile::BadTrailer => Some(framed(TRAILER_FLAG, b"\x00\x7f not a header\r\n:::\r\n\xff\xfe")),
        Hostile::GarbageDetails => {
            let mut payload = frame[GRPC_HEADER_LEN..].to_vec();
            payload.extend_from_slice(format!("grpc-status-details-bin:{GARBAGE_DETAILS}\r\n").as_bytes());
            Some(framed(TRAILER_FLAG, &payload))
        }
        _ => Some(frame),
    }
}

impl<B> Body for HostileBody<B>
where
    B: Body<Data = Bytes>,
    B::Error: Into<crate::http::BoxError>,
{
    type Data = Bytes;
    type Error = crate::http::BoxError;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let mut this = self.project();
        loop {
            if let Some(bytes) = this.pending.pop_front() {
                return Poll::Ready(Some(Ok(Frame::data(bytes))));
            }
            match *this.ending {
                Ending::End => return Poll::Ready(None),
                // Deliberately never woken: the client gives up and drops the connection.
                Ending::Stall => return Poll::Pending,
                Ending::Running => {}
            }
            // Every complete frame in the buffer, changed as asked.
            while this.buffer.len() >= GRPC_HEADER_LEN && *this.ending == Ending::Running {
                let length = (&this.buffer[1..GRPC_HEADER_LEN]).get_u32() as usize;
                if this.buffer.len() < GRPC_HEADER_LEN + length {
                    break;
                }
                if let Some((bytes, ending)) = injection(this.hostile, *this.messages_sent) {
                    this.pending.push_back(bytes);
                    *this.ending = ending;
                    break;
                }
                let is_trailer = this.buffer[0] & TRAILER_FLAG != 0;
                let frame = this.buffer.split_to(GRPC_HEADER_LEN + length).freeze();
                if is_trailer {
                    this.pending.extend(trailer_frame(this.hostile, frame));
                    *this.ending = Ending::End;
                } else {
                    *this.messages_sent += 1;
                    this.pending.push_back(frame);
                }
            }
            if !this.pending.is_empty() || *this.ending != Ending::Running {
                continue;
            }
            match ready!(this.inner.as_mut().poll_frame(cx)) {
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        this.buffer.extend_from_slice(&data);
                    }
                }
                Some(Err(error)) => return Poll::Ready(Some(Err(error.into()))),
                None => {
                    // The real answer ended (trailers-only answers have no body at all).
                    if let Some((bytes, _)) = injection(this.hostile, *this.messages_sent) {
                        this.pending.push_back(bytes);
                    }
                    if !this.buffer.is_empty() {
                        this.pending.push_back(this.buffer.split().freeze());
                    }
                    *this.ending = Ending::End;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_hostile_answer() {
        let parse = |name, value| Hostile::parse(name, value).unwrap();
        assert_eq!(parse("html-error", Some("503")), Ok(Hostile::HtmlError(503)));
        assert_eq!(parse("html-error", None), Ok(Hostile::HtmlError(502)));
        assert!(parse("html-error", Some("abc")).is_err());
        assert_eq!(parse("content-type", Some("text/plain")), Ok(Hostile::ContentType("text/plain".into())));
        assert!(parse("content-type", None).is_err());
        assert_eq!(parse("garbage-frame", Some("2")), Ok(Hostile::GarbageFrame(2)));
        assert_eq!(parse("huge-length", None), Ok(Hostile::HugeLength(0)));
        assert_eq!(parse("details-bin", Some("garbage")), Ok(Hostile::GarbageDetails));
        assert!(parse("details-bin", Some("nice")).is_err());
        assert!(Hostile::parse("explode", None).is_none());
    }

    #[test]
    fn grpc_messages_are_percent_encoded() {
        assert_eq!(percent_encode_message("<b>100% é</b>"), "<b>100%25 %C3%A9</b>");
    }
}
