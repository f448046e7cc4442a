//! Command-line flags (clap derive), each with an environment fallback.
use std::{net::SocketAddr, path::PathBuf};

use clap::{Parser, ValueEnum};

use crate::{
    backend::{local::AnswerShape, xai::UpstreamUrl},
    http::faults::FaultRule,
};

const FAULT_HELP: &str = "\
FAULT INJECTION (only with --enable-faults; otherwise the x-fault header is ignored):
  A fault SPEC is a comma-separated list of:
    status=CODE         answer gRPC status CODE (number 0..16 or name, e.g. 14 or unavailable)
                        as a normal response (headers, no message, trailers)
    trailers-only=CODE  the same as a trailers-only response (status in the headers, no body)
    cut-after=N         server streams: send N messages, then abort the HTTP body without a
                        grpc-status trailer (the client sees a transport error)
    idle-after=N        server streams: send N messages, then stay silent with the stream open
    delay-ms=N          wait N milliseconds before answering
    split-trailer       gRPC-Web: write the trailer frame in two body chunks ~30 ms apart
  Hostile answers (gRPC-Web; for testing that clients survive a broken or malicious endpoint):
    html-error=HTTP     an HTML error page with that HTTP status (default 502), as a proxy sends
    content-type=TYPE   the real answer under another content-type
    empty-200           HTTP 200, gRPC-Web content type, empty body, no grpc-status anywhere
    garbage-frame=N     after N messages a frame with flag byte 0x42, then the body ends
    huge-length=N       after N messages a frame announcing 4 GiB, 16 bytes of it, then silence
    short-frame=N       after N messages a frame announcing 1 MiB, 10 bytes of it, then the end
    no-trailers         the real messages without the trailer frame; the body ends cleanly
    bad-trailer         a trailer frame whose payload is not a header block
    details-bin=garbage grpc-status-details-bin that is not base64 (trailers or headers)
    hostile-message     UNAUTHENTICATED with an HTML page quoting the caller's bearer key
  A call takes faults from its `x-fault: SPEC` metadata and from every matching --fault flag.
  --fault [SERVICE[/METHOD]:]SPEC applies SPEC to matching calls; no prefix means all calls.
  SERVICE may carry the package: Chat/CreateChatCompletionStream or
  xai_api.Chat/CreateChatCompletionStream.
  Examples: --fault status=unavailable   --fault Chat/CreateChatCompletionStream:cut-after=3
            curl ... -H 'x-fault: delay-ms=500,split-trailer'";

/// Which service answers the calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BackendKind {
    /// Deterministic answers computed in-process; no network.
    Local,
    /// Forward every call to the real xAI API (--upstream-url) over TLS gRPC, with the
    /// caller's key or the one in --server-key-file.
    Xai,
}

impl BackendKind {
    pub fn name(self) -> &'static str {
        match self {
            BackendKind::Local => "local",
            BackendKind::Xai => "xai",
        }
    }
}

/// Native gateway for xai-web: serves gRPC, gRPC-Web (HTTP/1.1 and h2c) and the built app on
/// one port.
#[derive(Debug, Clone, Parser)]
#[command(name = "xai-gateway", version, args_override_self = true, after_long_help = FAULT_HELP, after_help = FAULT_HELP)]
pub struct Args {
    /// Address to listen on (HTTP/1.1 and HTTP/2 cleartext on the same port).
    #[arg(long, env = "XAI_GATEWAY_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Directory of the built app (index.html, wasm, js); unknown GET paths fall back to
    /// its index.html. A missing directory is only a warning (API only); one that cannot be
    /// read, or that holds the data dir or the key file, stops the start.
    #[arg(long, env = "XAI_GATEWAY_STATIC_DIR", default_value = "dist")]
    pub static_dir: PathBuf,

    /// Directory for state: the SQLite database gateway.sqlite and the server key file.
    #[arg(long, env = "XAI_GATEWAY_DATA_DIR", default_value = ".data")]
    pub data_dir: PathBuf,

    /// Backend that answers the calls.
    #[arg(long, env = "XAI_GATEWAY_BACKEND", value_enum, default_value_t = BackendKind::Local)]
    pub backend: BackendKind,

    /// File holding the server-held API key. Backend local: default <data-dir>/server-key,
    /// created on first start with a new key that may do everything. Backend xai: your xAI API
    /// key, read only from this flag (no default); without it browsers must send their own.
    #[arg(long, env = "XAI_GATEWAY_SERVER_KEY_FILE")]
    pub server_key_file: Option<PathBuf>,

    /// Backend xai: origin of the real API, https://host[:port] (http:// only for a local test
    /// server); no path.
    #[arg(long, env = "XAI_GATEWAY_UPSTREAM_URL", value_name = "URL", default_value = "https://api.x.ai")]
    pub upstream_url: UpstreamUrl,

    /// Do not attach the server-held key to calls without an authorization header: browsers
    /// must then type a key.
    #[arg(long, env = "XAI_GATEWAY_NO_SERVER_KEY")]
    pub no_server_key: bool,

    /// Pace of streamed tokens per second (0: as fast as possible).
    #[arg(long, env = "XAI_GATEWAY_STREAM_RATE", default_value_t = 60.0)]
    pub stream_rate: f64,

    /// Local backend: extend chat answers with further sections until each has at least this
    /// many characters (for benchmarks and load tests; 0: natural length).
    #[arg(long, env = "XAI_GATEWAY_MIN_ANSWER_CHARS", default_value_t = 0)]
    pub min_answer_chars: usize,

    /// Local backend: the shape of chat answers (for benchmarks and browser tests of long code
    /// blocks, lists, tables and a line of hostile markup; with --min-answer-chars for length).
    #[arg(long, env = "XAI_GATEWAY_ANSWER_SHAPE", value_enum, default_value_t = AnswerShape::Markdown)]
    pub answer_shape: AnswerShape,

    /// Local backend: characters per streamed chat delta (0: one word-ish token per delta).
    #[arg(long, env = "XAI_GATEWAY_DELTA_CHARS", default_value_t = 0)]
    pub delta_chars: usize,

    /// Milliseconds between two batch requests processed in the background.
    #[arg(long, env = "XAI_GATEWAY_BATCH_INTERVAL_MS", default_value_t = 300)]
    pub batch_interval_ms: u64,

    /// Honour fault injection (the x-fault metadata and --fault flags); see below.
    #[arg(long, env = "XAI_GATEWAY_ENABLE_FAULTS")]
    pub enable_faults: bool,

    /// Inject a fault into matching calls: [SERVICE[/METHOD]:]SPEC (repeatable; needs
    /// --enable-faults; syntax below).
    #[arg(long = "fault", value_name = "[SERVICE/METHOD:]SPEC", value_parser = FaultRule::parse)]
    pub faults: Vec<FaultRule>,

    /// Origin allowed to call cross-origin (repeatable), e.g. http://localhost:3000. Requests
    /// from pages of any other origin are refused (PERMISSION_DENIED, or 403 for non-gRPC
    /// requests such as preflights); same-origin pages and non-browser clients always pass.
    #[arg(long = "cors-origin", value_name = "ORIGIN")]
    pub cors_origins: Vec<String>,

    /// Another endpoint the served app's pages may call (repeatable), scheme://host[:port]:
    /// added to their Content-Security-Policy connect-src beside their own origin and the
    /// endpoint of --static-dir's config.json (the only ones by default), e.g. for an endpoint
    /// users enter in Settings, or the image host of --backend xai's URL results.
    #[arg(long = "app-endpoint", value_name = "ORIGIN", env = "XAI_GATEWAY_APP_ENDPOINT", value_delimiter = ',')]
    pub app_endpoints: Vec<String>,

    /// Log filter: error, warn, info, debug, trace, or a tracing directive list.
    #[arg(long, env = "XAI_GATEWAY_LOG", default_value = "info")]
    pub log_level: String,

    /// Flags for a gateway reachable by others (listed last: they get their own help heading).
    #[command(flatten)]
    pub exposure: crate::exposure::ExposureArgs,

    /// An operator command to run on --data-dir instead of serving (flags go before it).
    #[command(subcommand)]
    pub command: Option<crate::admin::Command>,
}

impl Args {
    /// The server key file in effect.
    pub fn server_key_path(&self) -> PathBuf {
        self.server_key_file.clone().unwrap_or_else(|| self.data_dir.join("server-key"))
    }
}
