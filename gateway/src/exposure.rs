//! Flags and layers for a gateway exposed beyond localhost: its public origins, who a client
//! is (trusted proxies), the per-client rate limit and open-call cap, the total open-call cap,
//! the RPC allowlist and the request size limit. (The cross-origin allowlist is `--cors-origin`,
//! see `http::origin_guard`.) Per-client limits are off and the others generous by default, so
//! local use is unchanged; see README "Exposing the gateway".
use std::{net::SocketAddr, sync::Arc};

use clap::Args;

use crate::http::{
    client::{ClientAddress, ProxyNetwork},
    rate_limit::{RateLimitLayer, RateLimiter},
    request_limit::{parse_byte_size, RequestLimitLayer},
    rpc_allowlist::{RpcAllowlistLayer, RpcPattern},
    stream_cap::{OpenCalls, Scope, StreamCapLayer},
};

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Exposing the gateway")]
pub struct ExposureArgs {
    /// Answer only these RPCs (repeatable; Service/Method or Service/*, e.g.
    /// Chat/CreateChatCompletionStream or Models/*); others get PERMISSION_DENIED without
    /// reaching the backend. Default: every RPC.
    #[arg(long = "allow-rpc", value_name = "SERVICE/METHOD", env = "XAI_GATEWAY_ALLOW_RPC", value_delimiter = ',', value_parser = RpcPattern::parse)]
    pub allow_rpcs: Vec<RpcPattern>,

    /// Calls per second each client may make on average (a token bucket per client address;
    /// over it calls get RESOURCE_EXHAUSTED with a retry-after). 0: no limit.
    #[arg(long, value_name = "N", env = "XAI_GATEWAY_RATE_LIMIT_RPS", default_value_t = 0.0, value_parser = parse_rate)]
    pub rate_limit_rps: f64,

    /// Calls a client may make at once before --rate-limit-rps paces it (the bucket size).
    #[arg(long, value_name = "N", env = "XAI_GATEWAY_RATE_LIMIT_BURST", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    pub rate_limit_burst: u32,

    /// Calls (e.g. open chat streams) one client may have open at once; more get
    /// RESOURCE_EXHAUSTED. 0: no cap.
    #[arg(long, value_name = "N", env = "XAI_GATEWAY_MAX_STREAMS_PER_CLIENT", default_value_t = 0)]
    pub max_streams_per_client: u32,

    /// Largest request body (bytes, or with a unit: 512KiB, 16MiB); larger requests get
    /// INVALID_ARGUMENT after at most this much has been read. Images travel base64 inside
    /// requests, so keep room for them.
    #[arg(long, value_name = "SIZE", env = "XAI_GATEWAY_MAX_REQUEST_BYTES", default_value = "16MiB", value_parser = parse_byte_size)]
    pub max_request_bytes: u64,

    /// Calls all clients together may have open at once (streams count until they end); more
    /// get RESOURCE_EXHAUSTED at once instead of waiting. Bounds the gateway's work and memory
    /// (about 60 KiB per open stream).
    #[arg(long, value_name = "N", env = "XAI_GATEWAY_MAX_OPEN_CALLS", default_value_t = 20_000, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_open_calls: u32,

    /// The origin browsers use to reach this gateway, scheme://host[:port] (repeatable), e.g.
    /// https://chat.example.com behind a TLS proxy. Pages of these origins are the gateway's own;
    /// the request's Host header is never trusted for that (DNS rebinding). Default: when
    /// listening on loopback, http://127.0.0.1:PORT, http://localhost:PORT and
    /// http://[::1]:PORT; otherwise http://ADDR:PORT of the listen address.
    #[arg(long = "public-origin", value_name = "ORIGIN", env = "XAI_GATEWAY_PUBLIC_ORIGIN", value_delimiter = ',')]
    pub public_origins: Vec<String>,

    /// A reverse proxy whose X-Forwarded-For is believed (repeatable; an address or a network,
    /// e.g. 127.0.0.1 or 10.0.0.0/8). Calls from it are counted per the right-most address of
    /// that header that is not itself a trusted proxy; the header is ignored from anyone else.
    #[arg(long = "trusted-proxy", value_name = "ADDR[/PREFIX]", env = "XAI_GATEWAY_TRUSTED_PROXY", value_delimiter = ',', value_parser = ProxyNetwork::parse)]
    pub trusted_proxies: Vec<ProxyNetwork>,

    /// Replaced by --trusted-proxy (believing X-Forwarded-For from any peer let clients pick
    /// their own address); the gateway refuses to start with it.
    #[arg(long, env = "XAI_GATEWAY_TRUST_FORWARDED_FOR", hide = true)]
    pub trust_forwarded_for: bool,
}

fn parse_rate(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(rate) if rate.is_finite() && rate >= 0.0 => Ok(rate),
        _ => Err(format!("{text:?} is not a rate: use a number of calls per second such as 5 or 0.5 (0: no limit)")),
    }
}

/// The per-call layers of [`ExposureArgs`], in the order they apply.
pub struct Guards {
    pub rate_limit: RateLimitLayer,
    pub allowlist: RpcAllowlistLayer,
    pub stream_cap: StreamCapLayer,
    pub total_cap: StreamCapLayer,
    pub request_limit: RequestLimitLayer,
}

impl ExposureArgs {
    pub fn guards(&self) -> Guards {
        let clients = ClientAddress::new(&self.trusted_proxies);
        let limiter = (self.rate_limit_rps > 0.0).then(|| Arc::new(RateLimiter::new(self.rate_limit_rps, self.rate_limit_burst)));
        let open_calls = (self.max_streams_per_client > 0).then(|| OpenCalls::new(self.max_streams_per_client));
        Guards {
            rate_limit: RateLimitLayer::new(limiter, clients.clone()),
            allowlist: RpcAllowlistLayer::new(&self.allow_rpcs),
            stream_cap: StreamCapLayer::new(open_calls, clients.clone()),
            total_cap: StreamCapLayer::new(Some(OpenCalls::with_scope(self.max_open_calls, Scope::Total)), clients),
            request_limit: RequestLimitLayer::new(self.max_request_bytes),
        }
    }

    /// Warns when a gateway reachable from other machines lends its key to everyone unchecked.
    pub fn warn_if_exposed(&self, listen: SocketAddr, attaches_server_key: bool) {
        if listen.ip().is_loopback() {
            return;
        }
        if attaches_server_key && self.allow_rpcs.is_empty() {
            tracing::warn!(
                "listening on {listen} with the server-held key and no --allow-rpc: anyone who can reach it may make every call, including creating API keys"
            );
        }
        if self.rate_limit_rps == 0.0 {
            tracing::warn!("listening on {listen} without --rate-limit-rps: one client can use the backend as fast as it likes");
        }
    }
}
