//! Counters the gateway keeps about itself, and the stream wrapper that notices when a client
//! walks away from a server stream.
use std::{
    pin::Pin,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    task::{Context, Poll},
};

use futures_util::Stream;

/// Process-wide counters, shared by all services (tests read them).
#[derive(Debug, Default)]
pub struct Metrics {
    streams_cancelled: AtomicU64,
    streams_completed: AtomicU64,
}

impl Metrics {
    /// Server streams the client dropped before their last message.
    pub fn streams_cancelled(&self) -> u64 {
        self.streams_cancelled.load(Ordering::Relaxed)
    }

    /// Server streams that ran to their end (including ends by error).
    pub fn streams_completed(&self) -> u64 {
        self.streams_completed.load(Ordering::Relaxed)
    }
}

/// Wraps a server stream to log (and count) a cancellation when it is dropped unfinished:
/// tonic drops the response stream when the client resets the HTTP/2 stream or closes the
/// connection, and that is the only signal a server gets.
pub struct TrackedStream<S> {
    inner: S,
    method: &'static str,
    chunks_sent: u64,
    finished: bool,
    metrics: Arc<Metrics>,
}

impl<S> TrackedStream<S> {
    pub fn new(inner: S, method: &'static str, metrics: Arc<Metrics>) -> Self {
        Self { inner, method, chunks_sent: 0, finished: false, metrics }
    }
}

impl<S, T, E> Stream for TrackedStream<S>
where
    S: Stream<Item = Result<T, E>> + Unpin,
{
    type Item = Result<T, E>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let polled = Pin::new(&mut self.inner).poll_next(cx);
        match &polled {
            Poll::Ready(Some(Ok(_))) => self.chunks_sent += 1,
            Poll::Ready(Some(Err(_))) | Poll::Ready(None) => {
                if !self.finished {
                    self.finished = true;
                    self.metrics.streams_completed.fetch_add(1, Ordering::Relaxed);
                }
            }
            Poll::Pending => {}
        }
        polled
    }
}

impl<S> Drop for TrackedStream<S> {
    fn drop(&mut self) {
        if !self.finished {
            self.metrics.streams_cancelled.fetch_add(1, Ordering::Relaxed);
            tracing::info!("stream cancelled by client: {} after {} chunks", self.method, self.chunks_sent);
        }
    }
}
