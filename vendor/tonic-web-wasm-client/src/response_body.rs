use std::{
    pin::Pin,
    task::{Context, Poll, ready},
};

use bytes::Bytes;
use http_body::Body;
use pin_project::pin_project;
use wasm_bindgen::JsCast;
use web_sys::ReadableStream;

use crate::{
    Error,
    abort_guard::AbortGuard,
    body_stream::BodyStream,
    content_type::Encoding,
    frame::{FrameDecoder, Item},
};

/// Type to handle HTTP response
///
/// (Patched) The framing is decoded by [`FrameDecoder`]: data is handed on as it arrives, only
/// the complete trailer frame ends the body (bug #97), and every hostile input is an error.
#[pin_project]
pub struct ResponseBody {
    #[pin]
    body_stream: BodyStream,
    decoder: FrameDecoder,
    finished_stream: bool,
}

impl ResponseBody {
    pub(crate) fn new(
        body_stream: ReadableStream,
        content_type: &str,
        status_in_headers: bool,
        abort: AbortGuard,
    ) -> Result<Self, Error> {
        let body_stream =
            wasm_streams::ReadableStream::from_raw(body_stream.unchecked_into()).into_stream();

        Ok(Self {
            body_stream: BodyStream::new(body_stream, abort),
            decoder: FrameDecoder::new(Encoding::from_content_type(content_type)?, status_in_headers),
            finished_stream: false,
        })
    }
}

impl Body for ResponseBody {
    type Data = Bytes;

    type Error = Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        let mut this = self.project();
        loop {
            match this.decoder.next_item() {
                Ok(Some(Item::Data(data))) => return Poll::Ready(Some(Ok(http_body::Frame::data(data)))),
                Ok(Some(Item::Trailers(trailers))) => {
                    return Poll::Ready(Some(Ok(http_body::Frame::trailers(trailers))));
                }
                Ok(None) => {}
                Err(error) => return Poll::Ready(Some(Err(error))),
            }
            if this.decoder.is_done() {
                return Poll::Ready(None);
            }
            if *this.finished_stream {
                return Poll::Ready(this.decoder.finish().err().map(Err));
            }
            match ready!(this.body_stream.as_mut().poll_frame(cx)) {
                Some(Ok(frame)) => {
                    if let Some(data) = frame.data_ref()
                        && let Err(error) = this.decoder.push(data)
                    {
                        return Poll::Ready(Some(Err(error)));
                    }
                }
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None => *this.finished_stream = true,
            }
        }
    }
}

impl Default for ResponseBody {
    fn default() -> Self {
        let mut decoder = FrameDecoder::new(Encoding::None, true);
        let _ = decoder.finish();
        Self {
            body_stream: BodyStream::empty(),
            decoder,
            finished_stream: true,
        }
    }
}
