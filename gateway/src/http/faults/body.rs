//! A response body that re-chunks gRPC / gRPC-Web framing (1 flag byte, 4 length bytes,
//! payload) so faults can act on whole messages: cut or stall a stream after N messages, or
//! split the gRPC-Web trailer frame across two chunks.
use std::{
    collections::VecDeque,
    pin::Pin,
    task::{ready, Context, Poll},
    time::Duration,
};

use std::future::Future;

use bytes::{Buf, Bytes, BytesMut};
use http::HeaderMap;
use http_body::{Body, Frame};
use tokio::time::Sleep;

/// What to do to the response stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFault {
    /// After N messages, fail the body so the server aborts the HTTP stream (no trailers).
    CutAfter(u64),
    /// After N messages, never produce anything again (the stream stays open).
    IdleAfter(u64),
    /// Write the gRPC-Web trailer frame (flag 0x80) in two chunks, [`SPLIT_PAUSE`] apart.
    SplitTrailer,
}

/// Where the trailer frame is split: inside its 5-byte header, like tonic-web-wasm-client
/// bug #97 needs.
const SPLIT_AT: usize = 3;
/// Long enough that a fetch reader gets the two halves as separate chunks.
const SPLIT_PAUSE: Duration = Duration::from_millis(30);
/// Pause between the last message and the cut.
const CUT_GRACE: Duration = Duration::from_millis(50);
const GRPC_HEADER_LEN: usize = 5;
const TRAILER_FLAG: u8 = 0x80;

enum Piece {
    Message(Bytes),
    Raw(Bytes),
    Pause,
    Trailers(HeaderMap),
}

/// Error that aborts the response, so hyper resets the stream or closes the connection.
#[derive(Debug, thiserror::Error)]
#[error("injected fault: stream cut after {0} messages")]
pub struct StreamCut(u64);

pin_project_lite::pin_project! {
    pub struct FaultBody<B> {
        #[pin]
        inner: B,
        fault: BodyFault,
        buffer: BytesMut,
        pieces: VecDeque<Piece>,
        pause: Option<Pin<Box<Sleep>>>,
        messages_sent: u64,
        cut_armed: bool,
        inner_done: bool,
    }
}

impl<B> FaultBody<B> {
    pub fn new(inner: B, fault: BodyFault) -> Self {
        Self {
            inner,
            fault,
            buffer: BytesMut::new(),
            pieces: VecDeque::new(),
            pause: None,
            messages_sent: 0,
            cut_armed: false,
            inner_done: false,
        }
    }
}

/// Moves every complete frame of `buffer` into `pieces`.
fn split_frames(buffer: &mut BytesMut, pieces: &mut VecDeque<Piece>, fault: BodyFault) {
    while buffer.len() >= GRPC_HEADER_LEN {
        let payload_len = (&buffer[1..GRPC_HEADER_LEN]).get_u32() as usize;
        if buffer.len() < GRPC_HEADER_LEN + payload_len {
            return;
        }
        let is_trailer = buffer[0] & TRAILER_FLAG != 0;
        let frame = buffer.split_to(GRPC_HEADER_LEN + payload_len).freeze();
        if !is_trailer {
            pieces.push_back(Piece::Message(frame));
        } else if fault == BodyFault::SplitTrailer {
            pieces.push_back(Piece::Raw(frame.slice(..SPLIT_AT)));
            pieces.push_back(Piece::Pause);
            pieces.push_back(Piece::Raw(frame.slice(SPLIT_AT..)));
        } else {
            pieces.push_back(Piece::Raw(frame));
        }
    }
}

impl<B> Body for FaultBody<B>
where
    B: Body<Data = Bytes>,
    B::Error: Into<crate::http::BoxError>,
{
    type Data = Bytes;
    type Error = crate::http::BoxError;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let mut this = self.project();
        loop {
            if let Some(pause) = this.pause.as_mut() {
                ready!(pause.as_mut().poll(cx));
                *this.pause = None;
            }
            match this.pieces.pop_front() {
                Some(Piece::Message(frame)) => {
                    match *this.fault {
                        BodyFault::CutAfter(limit) if *this.messages_sent >= limit => {
                            if *this.cut_armed {
                                return Poll::Ready(Some(Err(Box::new(StreamCut(limit)))));
                            }
                            // Give the client time to read what was sent: an HTTP/2 reset
                            // makes clients drop frames they have received but not yet read.
                            *this.cut_armed = true;
                            *this.pause = Some(Box::pin(tokio::time::sleep(CUT_GRACE)));
                            this.pieces.push_front(Piece::Message(frame));
                            continue;
                        }
                        BodyFault::IdleAfter(limit) if *this.messages_sent >= limit => {
                            // Deliberately never woken: the client gives up and drops us.
                            this.pieces.push_front(Piece::Message(frame));
                            return Poll::Pending;
                        }
                        _ => {}
                    }
                    *this.messages_sent += 1;
                    return Poll::Ready(Some(Ok(Frame::data(frame))));
                }
                Some(Piece::Raw(bytes)) => return Poll::Ready(Some(Ok(Frame::data(bytes)))),
                Some(Piece::Pause) => {
                    *this.pause = Some(Box::pin(tokio::time::sleep(SPLIT_PAUSE)));
                    continue;
                }
                Some(Piece::Trailers(trailers)) => return Poll::Ready(Some(Ok(Frame::trailers(trailers)))),
                None => {}
            }
            if *this.inner_done {
                if !this.buffer.is_empty() {
                    // An incomplete frame at the end: pass it on as it is.
                    return Poll::Ready(Some(Ok(Frame::data(this.buffer.split().freeze()))));
                }
                return Poll::Ready(None);
            }
            match ready!(this.inner.as_mut().poll_frame(cx)) {
                Some(Ok(frame)) => match frame.into_data() {
                    Ok(data) => {
                        this.buffer.extend_from_slice(&data);
                        split_frames(this.buffer, this.pieces, *this.fault);
                    }
                    Err(frame) => {
                        if !this.buffer.is_empty() {
                            this.pieces.push_back(Piece::Raw(this.buffer.split().freeze()));
                        }
                        if let Ok(trailers) = frame.into_trailers() {
                            this.pieces.push_back(Piece::Trailers(trailers));
                        }
                    }
                },
                Some(Err(error)) => return Poll::Ready(Some(Err(error.into()))),
                None => *this.inner_done = true,
            }
        }
    }
}
