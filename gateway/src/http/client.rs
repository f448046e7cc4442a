//! Who is calling: the key the rate limit and the stream cap count calls under, and the layer
//! that puts such a per-client guard in front of the gRPC services.
use std::{
    future::Future,
    net::{IpAddr, Ipv6Addr},
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
};

use http::{Request, Response};
use tonic::{body::Body as TonicBody, transport::server::TcpConnectInfo};
use tower_layer::Layer;
use tower_service::Service;

/// A `--trusted-proxy` value: one address, or a network `ADDR/PREFIX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProxyNetwork {
    network: IpAddr,
    prefix: u8,
}

impl ProxyNetwork {
    /// Parses `10.0.0.1`, `10.0.0.0/8`, `::1` or `fd00::/8`.
    pub fn parse(text: &str) -> Result<ProxyNetwork, String> {
        let usage = || format!("{text:?} is not an address or network: use e.g. 127.0.0.1, 10.0.0.0/8 or fd00::/8");
        let (address, prefix) = match text.trim().split_once('/') {
            Some((address, prefix)) => (address, Some(prefix.parse::<u8>().map_err(|_| usage())?)),
            None => (text.trim(), None),
        };
        let network: IpAddr = address.parse().map_err(|_| usage())?;
        let network = network.to_canonical();
        let bits = if network.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(bits);
        if prefix > bits {
            return Err(format!("{text:?}: the prefix is longer than the address ({bits} bits)"));
        }
        Ok(ProxyNetwork { network, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip.to_canonical()) {
            (IpAddr::V4(network), IpAddr::V4(ip)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                u32::from(network) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(network), IpAddr::V6(ip)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                u128::from(network) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// How to find a call's client address: the connection's peer, unless that peer is one of the
/// configured proxies (`--trusted-proxy`); then `X-Forwarded-For` is read from the right, and
/// the first hop that is not a trusted proxy is the client. Hops to the left of it were written
/// by the client itself and prove nothing.
#[derive(Debug, Clone, Default)]
pub struct ClientAddress {
    trusted_proxies: Arc<[ProxyNetwork]>,
}

impl ClientAddress {
    pub fn new(trusted_proxies: &[ProxyNetwork]) -> Self {
        Self { trusted_proxies: trusted_proxies.into() }
    }

    fn is_trusted(&self, ip: IpAddr) -> bool {
        self.trusted_proxies.iter().any(|network| network.contains(ip))
    }

    /// The client of `request`, or None when the connection's peer is unknown (not over TCP).
    pub fn of<B>(&self, request: &Request<B>) -> Option<IpAddr> {
        let peer = request.extensions().get::<TcpConnectInfo>()?.remote_addr()?.ip();
        Some(group(self.behind(peer, request)))
    }

    /// The right-most address of `X-Forwarded-For` that is not a trusted proxy, when `peer`
    /// is one; an unreadable hop ends the walk at the last trusted address.
    fn behind<B>(&self, peer: IpAddr, request: &Request<B>) -> IpAddr {
        let mut client = peer;
        if !self.is_trusted(client) {
            return client;
        }
        // Several header lines count as one list, in order.
        let values: Vec<&str> = request.headers().get_all("x-forwarded-for").iter().filter_map(|value| value.to_str().ok()).collect();
        for hop in values.iter().rev().flat_map(|value| value.rsplit(',')) {
            let Some(hop) = parse_hop(hop) else {
                return client;
            };
            client = hop;
            if !self.is_trusted(client) {
                return client;
            }
        }
        client
    }
}

/// One hop of `X-Forwarded-For`, with or without a port.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>().ok().or_else(|| hop.parse::<std::net::SocketAddr>().ok().map(|addr| addr.ip()))
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

    fn behind(proxies: &[&str]) -> ClientAddress {
        let proxies: Vec<ProxyNetwork> = proxies.iter().map(|text| ProxyNetwork::parse(text).unwrap()).collect();
        ClientAddress::new(&proxies)
    }

    #[test]
    fn forwarded_for_counts_only_from_a_trusted_proxy() {
        let request = request(Some("203.0.113.7, 10.0.0.1"), "10.0.0.2:5000");
        assert_eq!(ClientAddress::default().of(&request), Some("10.0.0.2".parse().unwrap()));
        assert_eq!(behind(&["192.0.2.1"]).of(&request), Some("10.0.0.2".parse().unwrap()));
        // Behind the proxy, the right-most hop that is not itself a proxy is the client.
        assert_eq!(behind(&["10.0.0.2"]).of(&request), Some("10.0.0.1".parse().unwrap()));
        assert_eq!(behind(&["10.0.0.0/8"]).of(&request), Some("203.0.113.7".parse().unwrap()));
    }

    #[test]
    fn addresses_a_client_writes_itself_are_ignored() {
        // The client sent "X-Forwarded-For: 198.51.100.1"; the proxy appended its peer.
        let request = request(Some("198.51.100.1, 203.0.113.7"), "10.0.0.2:5000");
        assert_eq!(behind(&["10.0.0.2"]).of(&request), Some("203.0.113.7".parse().unwrap()));
        let mut two_lines = request;
        two_lines.headers_mut().append("x-forwarded-for", "192.0.2.9".parse().unwrap());
        assert_eq!(behind(&["10.0.0.2"]).of(&two_lines), Some("192.0.2.9".parse().unwrap()));
    }

    #[test]
    fn unparsable_forwarded_for_stops_at_the_last_trusted_hop() {
        let proxy = behind(&["10.0.0.0/8"]);
        assert_eq!(proxy.of(&request(Some("unknown"), "10.0.0.2:5000")), Some("10.0.0.2".parse().unwrap()));
        assert_eq!(proxy.of(&request(Some("203.0.113.9, garbage, 10.0.0.7"), "10.0.0.2:5000")), Some("10.0.0.7".parse().unwrap()));
        assert_eq!(proxy.of(&request(Some("[2001:db8::1]:443"), "10.0.0.2:5000")), Some("2001:db8::".parse().unwrap()));
        assert_eq!(proxy.of(&request(Some("198.51.100.4:1234"), "10.0.0.2:5000")), Some("198.51.100.4".parse().unwrap()));
        assert_eq!(proxy.of(&request(None, "10.0.0.2:5000")), Some("10.0.0.2".parse().unwrap()));
    }

    #[test]
    fn proxy_networks_parse_and_match() {
        assert!(ProxyNetwork::parse("127.0.0.1").unwrap().contains("127.0.0.1".parse().unwrap()));
        assert!(!ProxyNetwork::parse("127.0.0.1").unwrap().contains("127.0.0.2".parse().unwrap()));
        assert!(ProxyNetwork::parse("10.0.0.0/8").unwrap().contains("10.200.0.1".parse().unwrap()));
        assert!(ProxyNetwork::parse("0.0.0.0/0").unwrap().contains("192.0.2.1".parse().unwrap()));
        assert!(ProxyNetwork::parse("fd00::/8").unwrap().contains("fd12::1".parse().unwrap()));
        assert!(ProxyNetwork::parse("127.0.0.1").unwrap().contains("::ffff:127.0.0.1".parse().unwrap()));
        assert!(!ProxyNetwork::parse("fd00::/8").unwrap().contains("10.0.0.1".parse().unwrap()));
        assert!(ProxyNetwork::parse("10.0.0.0/33").is_err());
        assert!(ProxyNetwork::parse("proxy.example").is_err());
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
