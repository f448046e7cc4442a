//! Who is calling: the key the rate limit and the stream cap count calls under, and the layer
//! that puts such a per-client guard in front of the gRPC services.
use std::{
    future::Future,
    net::{IpAddr, Ipv6Addr, SocketAddr},
    pin::Pin,
    task::{Context, Poll},
};

use http::{Request, Response};
use tonic::{body::Body as TonicBody, transport::server::TcpConnectInfo};
use tower_layer::Layer;
use tower_service::Service;

/// How to find a call's client address.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClientAddress {
    /// Take the first `X-Forwarded-For` hop (only behind a proxy that sets that header itself:
    /// anyone else could send any address).
    pub trust_forwarded_for: bool,
}

impl ClientAddress {
    /// The client of `request`, or None when the connection's peer is unknown (not over TCP).
    pub fn of<B>(self, request: &Request<B>) -> Option<IpAddr> {
        let forwarded = self.trust_forwarded_for.then(|| forwarded_for(request)).flatten();
        let peer = || request.extensions().get::<TcpConnectInfo>()?.remote_addr().map(|addr| addr.ip());
        forwarded.or_else(peer).map(group)
    }
}

/// The first hop of `X-Forwarded-For` ("client, proxy1, proxy2"), with or without a port.
fn forwarded_for<B>(request: &Request<B>) -> Option<IpAddr> {
    let value = request.headers().get("x-forwarded-for")?.to_str().ok()?;
    let first = value.split(',').next()?.trim();
    first.parse::<IpAddr>().ok().or_else(|| first.parse::<SocketAddr>().ok().map(|addr| addr.ip()))
}

/// One key per IPv4 address, one per IPv6 /64 (a single host often holds a whole /64, so
/// counting its addresses one by one would let it multiply its limits).
fn group(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let prefix = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(Ipv6Addr::from(prefix))
        }
        v4 => v4,
    }
}

/// A per-client policy (the rate limit, the open-call cap): admit a call, or answer it.
/// Implemented on a handle (`Arc`) that every call shares.
pub trait ClientGuard: Clone + Send + Sync + 'static {
    /// What an admitted call holds until its response is done with (`()`: nothing).
    type Admission: Send + 'static;

    /// Admits a call of `client` to `path`, or gives the answer refusing it (boxed: a response
    /// is large, and only refused calls pay for the box).
    fn admit(&self, client: IpAddr, path: &str) -> Result<Self::Admission, Box<Response<TonicBody>>>;

    /// The response of an admitted call, made to hold `admission` (by default it is dropped).
    fn hold(_admission: Self::Admission, response: Response<TonicBody>) -> Response<TonicBody> {
        response
    }
}

/// Puts a [`ClientGuard`] in front of the calls whose client is known (sits inside tonic-web:
/// every call looks like native gRPC). `None`: no guard.
#[derive(Debug, Clone)]
pub struct ClientGuardLayer<G> {
    guard: Option<G>,
    clients: ClientAddress,
}

impl<G> ClientGuardLayer<G> {
    pub fn new(guard: Option<G>, clients: ClientAddress) -> Self {
        Self { guard, clients }
    }
}

impl<S, G: Clone> Layer<S> for ClientGuardLayer<G> {
    type Service = ClientGuarded<S, G>;
    fn layer(&self, inner: S) -> Self::Service {
        ClientGuarded { inner, layer: self.clone() }
    }
}

#[derive(Debug, Clone)]
pub struct ClientGuarded<S, G> {
    inner: S,
    layer: ClientGuardLayer<G>,
}

impl<S, G, ReqBody> Service<Request<ReqBody>> for ClientGuarded<S, G>
where
    S: Service<Request<ReqBody>, Response = Response<TonicBody>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    G: ClientGuard,
{
    type Response = Response<TonicBody>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        let (Some(guard), Some(client)) = (&self.layer.guard, self.layer.clients.of(&request)) else {
            return Box::pin(self.inner.call(request));
        };
        match guard.admit(client, request.uri().path()) {
            Ok(admission) => {
                let future = self.inner.call(request);
                Box::pin(async move { Ok(G::hold(admission, future.await?)) })
            }
            Err(refusal) => Box::pin(std::future::ready(Ok(*refusal))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(forwarded: Option<&str>, peer: &str) -> Request<()> {
        let mut request = Request::new(());
        if let Some(value) = forwarded {
            request.headers_mut().insert("x-forwarded-for", value.parse().unwrap());
        }
        let remote_addr = Some(peer.parse().unwrap());
        request.extensions_mut().insert(TcpConnectInfo { local_addr: None, remote_addr });
        request
    }

    #[test]
    fn forwarded_for_counts_only_when_trusted() {
        let trusted = ClientAddress { trust_forwarded_for: true };
        let untrusted = ClientAddress::default();
        let request = request(Some("203.0.113.7, 10.0.0.1"), "10.0.0.2:5000");
        assert_eq!(trusted.of(&request), Some("203.0.113.7".parse().unwrap()));
        assert_eq!(untrusted.of(&request), Some("10.0.0.2".parse().unwrap()));
    }

    #[test]
    fn unparsable_forwarded_for_falls_back_to_the_peer() {
        let trusted = ClientAddress { trust_forwarded_for: true };
        assert_eq!(trusted.of(&request(Some("unknown"), "10.0.0.2:5000")), Some("10.0.0.2".parse().unwrap()));
        assert_eq!(trusted.of(&request(Some("[2001:db8::1]:443"), "10.0.0.2:5000")), Some("2001:db8::".parse().unwrap()));
        assert_eq!(trusted.of(&request(Some("198.51.100.4:1234"), "10.0.0.2:5000")), Some("198.51.100.4".parse().unwrap()));
    }

    #[test]
    fn ipv6_clients_are_grouped_by_64_bit_prefix() {
        let untrusted = ClientAddress::default();
        let a = untrusted.of(&request(None, "[2001:db8:1:2:aaaa::1]:1"));
        let b = untrusted.of(&request(None, "[2001:db8:1:2:bbbb::9]:1"));
        let c = untrusted.of(&request(None, "[2001:db8:1:3::1]:1"));
        assert_eq!(a, b);
        assert_ne!(a, c);
        let mapped = untrusted.of(&request(None, "[::ffff:192.0.2.1]:1"));
        assert_eq!(mapped, Some("192.0.2.1".parse().unwrap()));
    }
}
