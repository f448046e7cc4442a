//! (Patched) The gRPC-Web response framing, apart from fetch so it runs and is tested natively.
//!
//! Data frames are handed on as their bytes arrive, header included, so tonic's decoder reads
//! each message's length prefix at once and refuses one over the client's
//! `max_decoding_message_size` before anything is buffered or reserved. Upstream buffered every
//! frame whole first, so a hostile length prefix (4 GiB) made the client keep everything it was
//! sent, for as long as it was sent. Only the trailer frame is buffered, and it is bounded.
use base64::{
    Engine,
    alphabet,
    engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig},
    prelude::BASE64_STANDARD,
};
use bytes::{Buf, Bytes, BytesMut};
use http::{HeaderMap, HeaderValue, header::HeaderName};
use httparse::{EMPTY_HEADER, Status};

use crate::{Error, content_type::Encoding};

/// If 8th MSB of a frame is `0` for data and `1` for trailer
const TRAILER_BIT: u8 = 0b10000000;
/// Flag byte and big-endian length.
const FRAME_HEADER_LEN: usize = 5;
/// Largest trailer frame accepted. Trailers are a status, a message and a few metadata entries;
/// gRPC implementations cap all metadata at 8..16 KiB.
pub const MAX_TRAILER_BYTES: usize = 64 * 1024;
/// Most trailer entries parsed.
const MAX_TRAILERS: usize = 64;
/// The `grpc-status-details-bin` header.
const STATUS_DETAILS: &str = "grpc-status-details-bin";

/// tonic's own base64 configuration for `grpc-status-details-bin` (padding optional): what it
/// decodes, and panics on when it cannot (tonic 0.14 `Status::from_header_map` uses `expect`).
const DETAILS_BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Removes a `grpc-status-details-bin` entry that is not valid base64. tonic decodes it with
/// `expect`, so a hostile or broken endpoint would otherwise panic the app. The status code and
/// message stay; only the unreadable details go.
pub fn drop_unreadable_status_details(headers: &mut HeaderMap) {
    let readable = headers
        .get_all(STATUS_DETAILS)
        .iter()
        .all(|value| DETAILS_BASE64.decode(value.as_bytes()).is_ok());
    if !readable {
        headers.remove(STATUS_DETAILS);
    }
}

/// What the decoder has for the body.
#[derive(Debug, PartialEq, Eq)]
pub enum Item {
    /// gRPC framed bytes (headers and payloads of data frames), in order.
    Data(Bytes),
    /// The parsed trailer frame.
    Trailers(HeaderMap),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Waiting for the next frame's 5-byte header.
    FrameHeader,
    /// Inside a data frame with this many payload bytes still to come.
    Data { left: usize },
    /// The trailer frame's payload of this length is still (partly) to come.
    Trailer { length: usize },
    /// The trailer frame has been read (or a failure ended the body).
    Done,
}

/// The response body's decoder: raw bytes in, data and trailers out.
#[derive(Debug)]
pub struct FrameDecoder {
    text: Option<Base64Text>,
    buf: BytesMut,
    state: State,
    /// The response headers carried `grpc-status` (trailers-only): the body may be empty.
    status_in_headers: bool,
}

impl FrameDecoder {
    /// A decoder for a response of this encoding.
    pub fn new(encoding: Encoding, status_in_headers: bool) -> Self {
        FrameDecoder {
            text: (encoding == Encoding::Base64).then(Base64Text::default),
            buf: BytesMut::new(),
            state: State::FrameHeader,
            status_in_headers,
        }
    }

    /// True once the trailer frame has been handed on (or the body failed).
    pub fn is_done(&self) -> bool {
        self.state == State::Done
    }

    /// Takes in the next chunk of the body.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), Error> {
        if self.state == State::Done {
            // Anything after the trailer frame is ignored, as upstream did.
            return Ok(());
        }
        let result = match &mut self.text {
            Some(text) => text.decode(chunk).map(|decoded| self.buf.extend_from_slice(&decoded)),
            None => {
                self.buf.extend_from_slice(chunk);
                Ok(())
            }
        };
        self.fail_on_error(result)
    }

    /// The next item the bytes so far complete: data first, then the trailers.
    pub fn next_item(&mut self) -> Result<Option<Item>, Error> {
        let result = self.step();
        self.fail_on_error(result)
    }

    /// Called when the body ended: the error if the response is not complete.
    pub fn finish(&mut self) -> Result<(), Error> {
        let result = match self.state {
            State::Done => Ok(()),
            _ if self.text.as_ref().is_some_and(|text| !text.pending.is_empty()) => {
                Err(Error::TruncatedFrame)
            }
            State::FrameHeader if self.buf.is_empty() && self.status_in_headers => Ok(()),
            State::FrameHeader if self.buf.is_empty() => Err(Error::EndedWithoutStatus),
            _ => Err(Error::TruncatedFrame),
        };
        self.state = State::Done;
        result
    }

    fn fail_on_error<T>(&mut self, result: Result<T, Error>) -> Result<T, Error> {
        if result.is_err() {
            self.state = State::Done;
        }
        result
    }

    fn step(&mut self) -> Result<Option<Item>, Error> {
        let mut data = BytesMut::new();
        loop {
            match self.state {
                State::FrameHeader => {
                    if self.buf.len() < FRAME_HEADER_LEN {
                        break;
                    }
                    let flag = self.buf[0];
                    let length = (&self.buf[1..FRAME_HEADER_LEN]).get_u32() as usize;
                    if flag & TRAILER_BIT == 0 {
                        // tonic checks the flag and the length against its limit.
                        data.unsplit(self.buf.split_to(FRAME_HEADER_LEN));
                        self.state = if length == 0 { State::FrameHeader } else { State::Data { left: length } };
                    } else {
                        if !data.is_empty() {
                            break;
                        }
                        if length > MAX_TRAILER_BYTES {
                            return Err(Error::TrailerTooLarge { length, limit: MAX_TRAILER_BYTES });
                        }
                        self.buf.advance(FRAME_HEADER_LEN);
                        self.state = State::Trailer { length };
                    }
                }
                State::Data { left } => {
                    if self.buf.is_empty() {
                        break;
                    }
                    let take = left.min(self.buf.len());
                    data.unsplit(self.buf.split_to(take));
                    self.state = if take == left { State::FrameHeader } else { State::Data { left: left - take } };
                }
                State::Trailer { length } => {
                    if !data.is_empty() || self.buf.len() < length {
                        break;
                    }
                    let trailers = parse_trailers(&self.buf.split_to(length))?;
                    self.state = State::Done;
                    return Ok(Some(Item::Trailers(trailers)));
                }
                State::Done => break,
            }
        }
        Ok((!data.is_empty()).then(|| Item::Data(data.freeze())))
    }
}

/// Parses the trailer frame's `name: value` lines.
fn parse_trailers(bytes: &[u8]) -> Result<HeaderMap, Error> {
    let mut block = Vec::with_capacity(bytes.len() + 2);
    block.extend_from_slice(bytes);
    // httparse wants the empty line that ends a header block.
    block.extend_from_slice(b"\r\n");
    let mut parsed = [EMPTY_HEADER; MAX_TRAILERS];
    let headers = match httparse::parse_headers(&block, &mut parsed).map_err(|_| Error::HeaderParsingError)? {
        Status::Complete((_, headers)) => headers,
        Status::Partial => return Err(Error::HeaderParsingError),
    };
    let mut trailers = HeaderMap::with_capacity(headers.len());
    for header in headers {
        let name = HeaderName::from_bytes(header.name.as_bytes())?;
        let value = HeaderValue::from_bytes(header.value)?;
        trailers.insert(name, value);
    }
    drop_unreadable_status_details(&mut trailers);
    Ok(trailers)
}

/// `application/grpc-web-text`: base64 in 4-character groups, each frame padded on its own, so
/// padding may appear mid-stream. (Upstream split the decoded buffer at the undecoded length,
/// which panicked on the first chunk.)
#[derive(Debug, Default)]
struct Base64Text {
    pending: BytesMut,
}

impl Base64Text {
    fn decode(&mut self, chunk: &[u8]) -> Result<Vec<u8>, Error> {
        self.pending.extend(chunk.iter().copied().filter(|byte| !byte.is_ascii_whitespace()));
        let whole = self.pending.len() / 4 * 4;
        let groups = self.pending.split_to(whole);
        let mut decoded = Vec::with_capacity(whole / 4 * 3);
        let mut start = 0;
        for end in (4..=groups.len()).step_by(4) {
            // A padded group ends one base64 run.
            if groups[end - 1] == b'=' || end == groups.len() {
                BASE64_STANDARD.decode_vec(&groups[start..end], &mut decoded)?;
                start = end;
            }
        }
        Ok(decoded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(flag: u8, payload: &[u8]) -> Vec<u8> {
        let mut bytes = vec![flag];
        bytes.extend_from_slice(&(payload.len() as u32).to_be_bytes());
        bytes.extend_from_slice(payload);
        bytes
    }

    fn drain(decoder: &mut FrameDecoder) -> Vec<Item> {
        std::iter::from_fn(|| decoder.next_item().unwrap()).collect()
    }

    #[test]
    fn data_is_handed_on_as_it_arrives_and_trailers_end_the_body() {
        let mut decoder = FrameDecoder::new(Encoding::None, false);
        let message = frame(0, b"hello");
        decoder.push(&message[..3]).unwrap();
        assert_eq!(drain(&mut decoder), [], "a partial header waits");
        decoder.push(&message[3..7]).unwrap();
        assert_eq!(drain(&mut decoder), [Item::Data(Bytes::from(message[..7].to_vec()))]);
        decoder.push(&message[7..]).unwrap();
        decoder.push(&frame(0x80, b"grpc-status:0\r\ngrpc-message:ok\r\n")[..4]).unwrap();
        assert_eq!(drain(&mut decoder), [Item::Data(Bytes::from(message[7..].to_vec()))]);
        assert!(!decoder.is_done(), "a split trailer frame is not the end (bug #97)");
        decoder.push(&frame(0x80, b"grpc-status:0\r\ngrpc-message:ok\r\n")[4..]).unwrap();
        let items = drain(&mut decoder);
        let [Item::Trailers(trailers)] = &items[..] else { panic!("{items:?}") };
        assert_eq!(trailers["grpc-status"], "0");
        assert!(decoder.is_done());
        assert!(decoder.finish().is_ok());
    }

    #[test]
    fn a_huge_length_prefix_is_handed_on_at_once_not_buffered() {
        let mut decoder = FrameDecoder::new(Encoding::None, false);
        let mut bytes = vec![0, 0xff, 0xff, 0xff, 0xff];
        bytes.extend_from_slice(b"abc");
        decoder.push(&bytes).unwrap();
        // tonic sees the 4 GiB prefix now and refuses it against the client's limit.
        assert_eq!(drain(&mut decoder), [Item::Data(Bytes::from(bytes))]);
        assert!(decoder.buf.capacity() < 1024, "nothing reserved for the announced size");
    }

    #[test]
    fn oversized_or_garbage_trailers_are_errors() {
        let mut decoder = FrameDecoder::new(Encoding::None, false);
        decoder.push(&[0x80, 0x7f, 0xff, 0xff, 0xff]).unwrap();
        assert!(matches!(decoder.next_item(), Err(Error::TrailerTooLarge { .. })));
        assert!(decoder.is_done());

        let mut decoder = FrameDecoder::new(Encoding::None, false);
        decoder.push(&frame(0x80, b"\x00\x01 not: a\r\n\xff header block")).unwrap();
        assert!(decoder.next_item().is_err());
    }

    #[test]
    fn unreadable_status_details_are_dropped_but_the_status_stays() {
        let mut decoder = FrameDecoder::new(Encoding::None, false);
        decoder
            .push(&frame(0x80, b"grpc-status:3\r\ngrpc-message:bad\r\ngrpc-status-details-bin:!!not base64!!\r\n"))
            .unwrap();
        let items = drain(&mut decoder);
        let [Item::Trailers(trailers)] = &items[..] else { panic!("{items:?}") };
        assert_eq!(trailers["grpc-status"], "3");
        assert!(trailers.get(STATUS_DETAILS).is_none());

        let mut headers = HeaderMap::new();
        headers.insert(STATUS_DETAILS, HeaderValue::from_static("CAMSA2JhZA")); // unpadded is fine for tonic
        drop_unreadable_status_details(&mut headers);
        assert!(headers.get(STATUS_DETAILS).is_some());
    }

    #[test]
    fn endings_say_what_is_missing() {
        let mut empty = FrameDecoder::new(Encoding::None, false);
        assert!(matches!(empty.finish(), Err(Error::EndedWithoutStatus)));
        let mut trailers_only = FrameDecoder::new(Encoding::None, true);
        assert!(trailers_only.finish().is_ok());
        let mut short = FrameDecoder::new(Encoding::None, false);
        short.push(&[0, 0, 0x10, 0, 0, 1, 2, 3]).unwrap();
        drain(&mut short);
        assert!(matches!(short.finish(), Err(Error::TruncatedFrame)));
        let mut messages_only = FrameDecoder::new(Encoding::None, false);
        messages_only.push(&frame(0, b"x")).unwrap();
        drain(&mut messages_only);
        assert!(matches!(messages_only.finish(), Err(Error::EndedWithoutStatus)));
    }

    #[test]
    fn grpc_web_text_decodes_frame_by_frame_in_any_chunking() {
        let mut body = BASE64_STANDARD.encode(frame(0, b"hi"));
        body.push_str(&BASE64_STANDARD.encode(frame(0x80, b"grpc-status:0\r\n")));
        for split in 0..body.len() {
            let mut decoder = FrameDecoder::new(Encoding::Base64, false);
            decoder.push(&body.as_bytes()[..split]).unwrap();
            let mut items = drain(&mut decoder);
            decoder.push(&body.as_bytes()[split..]).unwrap();
            items.extend(drain(&mut decoder));
            let data: Vec<u8> = items.iter().filter_map(|i| match i { Item::Data(d) => Some(d.to_vec()), _ => None }).flatten().collect();
            assert_eq!(data, frame(0, b"hi"), "split at {split}");
            assert!(decoder.is_done(), "split at {split}");
        }
        let mut garbage = FrameDecoder::new(Encoding::Base64, false);
        assert!(garbage.push(b"\x00\x00\x00\x05hello").is_err(), "binary labelled as text is an error, not a panic");
    }
}
