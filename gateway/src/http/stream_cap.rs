//! Caps the calls one client may have open at once, and the calls all clients together may
//! have open (a call stays open until its response body is finished or dropped, so a long chat
//! stream counts for its whole length). Over a cap a call is answered RESOURCE_EXHAUSTED at
//! once with a retry hint, never queued; the table only holds clients with open calls.
use std::{
    collections::HashMap,
    net::IpAddr,
    pin::Pin,
    sync::{Arc, Mutex},
    task::{Context, Poll},
};

use bytes::Bytes;
use http::Response;
use http_body::{Body, Frame};
use tonic::{body::Body as TonicBody, Status};

use super::{
    client::{ClientGuard, ClientGuardLayer},
    refusal,
};

/// What a cap counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Each client's calls (`--max-streams-per-client`).
    PerClient,
    /// Every call together (`--max-open-calls`): the gateway's whole in-flight work.
    Total,
}

/// Open calls per client (or in all, for [`Scope::Total`]).
#[derive(Debug)]
pub struct OpenCalls {
    limit: u32,
    scope: Scope,
    by_client: Mutex<HashMap<IpAddr, u32>>,
}

impl OpenCalls {
    pub fn new(limit: u32) -> Arc<Self> {
        Self::with_scope(limit, Scope::PerClient)
    }

    pub fn with_scope(limit: u32, scope: Scope) -> Arc<Self> {
        Arc::new(Self { limit, scope, by_client: Mutex::new(HashMap::new()) })
    }

    /// Counts one more open call of `client`, or None when it already has `limit`.
    pub fn open(self: &Arc<Self>, client: IpAddr) -> Option<OpenCall> {
        let client = match self.scope {
            Scope::PerClient => client,
            Scope::Total => IpAddr::from([0, 0, 0, 0]),
        };
        let mut by_client = self.by_client.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let open = by_client.entry(client).or_insert(0);
        if *open >= self.limit {
            return None;
        }
        *open += 1;
        Some(OpenCall { calls: self.clone(), client })
    }

    /// Clients with at least one open call.
    pub fn clients(&self) -> usize {
        self.by_client.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).len()
    }
}

/// One open call; closes it when dropped.
#[derive(Debug)]
pub struct OpenCall {
    calls: Arc<OpenCalls>,
    client: IpAddr,
}

impl Drop for OpenCall {
    fn drop(&mut self) {
        let mut by_client = self.calls.by_client.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(open) = by_client.get_mut(&self.client) {
            *open = open.saturating_sub(1);
            if *open == 0 {
                by_client.remove(&self.client);
            }
        }
    }
}

/// Refuses a call of a client that already has `limit` open (`None`: no cap).
pub type StreamCapLayer = ClientGuardLayer<Arc<OpenCalls>>;

impl ClientGuard for Arc<OpenCalls> {
    type Admission = OpenCall;

    fn admit(&self, client: IpAddr, _path: &str) -> Result<OpenCall, Box<Response<TonicBody>>> {
        self.open(client).ok_or_else(|| {
            let message = match self.scope {
                Scope::PerClient => format!("too many open calls from your address (at most {} at once); retry after 1 s", self.limit),
                Scope::Total => {
                    tracing::warn!("--max-open-calls: {} calls are open, refused one from {client}", self.limit);
                    format!("the gateway is busy ({} calls open, its limit); retry after 1 s", self.limit)
                }
            };
            Box::new(refusal(Status::resource_exhausted(message), Some(1)))
        })
    }

    fn hold(open_call: OpenCall, response: Response<TonicBody>) -> Response<TonicBody> {
        response.map(|inner| TonicBody::new(CountedBody { inner, _open_call: open_call }))
    }
}

pin_project_lite::pin_project! {
    /// A response body that keeps its call counted as open until it is dropped.
    struct CountedBody {
        #[pin]
        inner: TonicBody,
        _open_call: OpenCall,
    }
}

impl Body for CountedBody {
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        self.project().inner.poll_frame(cx)
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
    fn counts_open_calls_per_client_and_forgets_idle_ones() {
        let calls = OpenCalls::new(2);
        let (a, b) = (IpAddr::from([10, 0, 0, 1]), IpAddr::from([10, 0, 0, 2]));
        let first = calls.open(a).unwrap();
        let second = calls.open(a).unwrap();
        assert!(calls.open(a).is_none());
        let other = calls.open(b).unwrap();
        drop(first);
        let third = calls.open(a).unwrap();
        assert_eq!(calls.clients(), 2);
        drop((second, third, other));
        assert_eq!(calls.clients(), 0);
    }

    #[test]
    fn the_total_cap_counts_every_client_together() {
        let calls = OpenCalls::with_scope(2, Scope::Total);
        let first = calls.open(IpAddr::from([10, 0, 0, 1])).unwrap();
        let _second = calls.open(IpAddr::from([10, 0, 0, 2])).unwrap();
        assert!(calls.open(IpAddr::from([10, 0, 0, 3])).is_none());
        drop(first);
        assert!(calls.open(IpAddr::from([10, 0, 0, 3])).is_some());
    }
}
