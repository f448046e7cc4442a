//! Assembles and runs the gateway: one port for gRPC (h2c), gRPC-Web (HTTP/1.1 or h2c), the
//! generated images and the built app.
use std::{net::SocketAddr, sync::Arc, time::Duration};

use axum::extract::{Path, Request};
use http::{header, HeaderValue};
use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};
use tonic::{service::Routes, transport::server::TcpIncoming};
use tonic_web::GrpcWebLayer;
use tower::ServiceBuilder;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::{
    backend::{
        local::{keys::ServerKeyError, AnswerOptions, LocalBackend},
        xai::XaiBackend,
        ApiKeySecret, Backend,
    },
    config::{Args, BackendKind},
    http::{
        call_log::CallLogLayer,
        catch_panic::catch_panic_layer,
        connections::{with_opening_within, OPENING_TIMEOUT},
        cors::{cors_layer, parse_origins, parse_origins_of, InvalidOrigin},
        faults::{FaultConfig, InjectFaultsLayer, ResolveFaultsLayer},
        origin_guard::{public_origins, OriginGuardLayer},
        server_key::ServerKeyLayer,
        static_files::{self, StaticDirError},
    },
    metrics::Metrics,
    proto::{
        auth_server::AuthServer, batch_mgmt_server::BatchMgmtServer, chat_server::ChatServer, image_server::ImageServer,
        models_server::ModelsServer, sample_server::SampleServer,
    },
    services::{AuthService, BatchService, ChatService, ImageService, ModelsService, SampleService, Shared},
    store::{Store, StoreError},
};

/// Images travel inline (data URLs in, base64 out), so messages may be far above tonic's 4 MiB.
const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;
/// How long shutdown waits for open calls before dropping them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// HTTP/2 pings on a connection quiet this long; no answer within the timeout closes it (a
/// peer that vanished must not hold its streams and their caps).
const HTTP2_KEEPALIVE_INTERVAL: Duration = Duration::from_secs(30);
const HTTP2_KEEPALIVE_TIMEOUT: Duration = Duration::from_secs(20);
/// TCP keepalive probes after this much silence (HTTP/1.1 connections have no pings).
const TCP_KEEPALIVE: Duration = Duration::from_secs(60);

/// Why the gateway cannot start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot prepare the connection to the upstream API {url}: {source}")]
    Upstream { url: String, source: tonic::transport::Error },
    #[error("--fault needs --enable-faults (faults are off unless explicitly enabled)")]
    FaultsNotEnabled,
    #[error("--trust-forwarded-for was replaced by --trusted-proxy ADDR[/PREFIX]: name the proxy whose X-Forwarded-For is believed (e.g. --trusted-proxy 127.0.0.1); the header is then read from the right, so clients cannot pick their own address")]
    TrustForwardedForReplaced,
    #[error(transparent)]
    Cors(#[from] InvalidOrigin),
    #[error(transparent)]
    StaticDir(#[from] StaticDirError),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("cannot open the database in the data dir: {0}")]
    Store(#[from] StoreError),
    #[error(transparent)]
    ServerKey(#[from] ServerKeyError),
    #[error("the server key file does not hold a valid key (it must be printable ASCII)")]
    InvalidServerKey,
}

/// A started gateway.
pub struct RunningGateway {
    /// The address actually bound (useful with port 0).
    pub addr: SocketAddr,
    pub metrics: Arc<Metrics>,
    shutdown: oneshot::Sender<()>,
    server: JoinHandle<Result<(), tonic::transport::Error>>,
    /// The local backend's batch worker (None for backend xai: the real API runs batches).
    batch_worker: Option<JoinHandle<()>>,
}

impl RunningGateway {
    /// Stops accepting, lets open calls finish for a moment, stops the batch worker.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(());
        if let Some(worker) = &self.batch_worker {
            worker.abort();
        }
        let mut server = self.server;
        if tokio::time::timeout(SHUTDOWN_GRACE, &mut server).await.is_err() {
            server.abort();
        }
        if let Some(worker) = self.batch_worker {
            let _ = worker.await;
        }
    }

    /// Runs until `stop` completes (then shuts down gracefully) or the server fails.
    pub async fn run_until(mut self, stop: impl std::future::Future<Output = ()>) -> Result<(), tonic::transport::Error> {
        tokio::select! {
            finished = &mut self.server => {
                if let Some(worker) = &self.batch_worker {
                    worker.abort();
                }
                match finished {
                    Ok(result) => result,
                    Err(join_error) => {
                        tracing::error!("server task failed: {join_error}");
                        Ok(())
                    }
                }
            }
            () = stop => {
                tracing::info!("shutting down");
                self.shutdown().await;
                Ok(())
            }
        }
    }
}

type Started = (Arc<dyn Backend>, Option<ApiKeySecret>, Option<JoinHandle<()>>);

/// The backend `args` ask for, its server-held key (if any) and its batch worker (if any).
async fn backend(args: &Args, store: &Store) -> Result<Started, StartError> {
    match args.backend {
        BackendKind::Local => {
            let answers = AnswerOptions { min_chars: args.min_answer_chars, shape: args.answer_shape, delta_chars: args.delta_chars };
            let backend = LocalBackend::new(store.clone(), args.stream_rate, answers);
            let server_key = backend.server_key(&args.server_key_path()).await?;
            let batch_worker = backend.spawn_batch_worker(Duration::from_millis(args.batch_interval_ms.max(1)));
            Ok((Arc::new(backend), Some(server_key), Some(batch_worker)))
        }
        BackendKind::Xai => {
            let url = &args.upstream_url;
            let backend = XaiBackend::new(url).map_err(|source| StartError::Upstream { url: url.to_string(), source })?;
            // Only an explicit file: the default <data-dir>/server-key holds a local-backend key.
            let server_key = args.server_key_file.as_deref().map(crate::backend::xai::read_server_key).transpose()?;
            let key_note = match (&server_key, args.no_server_key) {
                (Some(_), false) => "calls without a key get the server-held key",
                _ => "callers must send their own key",
            };
            tracing::info!("backend xai: forwarding to {url}; {key_note}");
            Ok((Arc::new(backend), server_key, None))
        }
    }
}

/// Starts the gateway described by `args` on the current tokio runtime.
pub async fn start(args: &Args) -> Result<RunningGateway, StartError> {
    start_with_routes(args, axum::Router::new()).await
}

/// [`start`], with `extra_routes` served behind the same per-call layers as the gRPC services
/// (tests use it to add a call that panics).
pub async fn start_with_routes(args: &Args, extra_routes: axum::Router) -> Result<RunningGateway, StartError> {
    if !args.faults.is_empty() && !args.enable_faults {
        return Err(StartError::FaultsNotEnabled);
    }
    if args.exposure.trust_forwarded_for {
        return Err(StartError::TrustForwardedForReplaced);
    }
    let origins = parse_origins(&args.cors_origins)?;
    let app_endpoints: Vec<String> = parse_origins_of("--app-endpoint", &args.app_endpoints)?
        .iter()
        .filter_map(|origin| origin.to_str().ok().map(str::to_owned))
        .collect();
    // The bound port decides the default public origins (port 0 in tests).
    let listener = TcpListener::bind(args.listen).await.map_err(|source| StartError::Bind { addr: args.listen, source })?;
    let addr = listener.local_addr().map_err(|source| StartError::Bind { addr: args.listen, source })?;
    let public = public_origins(&args.exposure.public_origins, addr)?;
    static_files::check_dir(&args.static_dir, &[&args.data_dir, &args.server_key_path()])?;

    let store = Store::open(&args.data_dir)?;
    let (backend, server_key, batch_worker) = backend(args, &store).await?;
    let attached_key = server_key.as_ref().filter(|_| !args.no_server_key).map(ApiKeySecret::expose);
    let server_key_layer = ServerKeyLayer::new(attached_key).map_err(|_| StartError::InvalidServerKey)?;
    args.exposure.warn_if_exposed(args.listen, attached_key.is_some());

    let metrics = Arc::new(Metrics::default());
    let shared = Shared { backend, metrics: metrics.clone() };
    // Requests are bounded by --max-request-bytes (RequestLimitLayer), not per message.
    let routes = Routes::new(ChatServer::new(ChatService(shared.clone())).max_decoding_message_size(MAX_MESSAGE_BYTES))
        .add_service(
            ImageServer::new(ImageService(shared.clone()))
                .max_decoding_message_size(MAX_MESSAGE_BYTES)
                .max_encoding_message_size(MAX_MESSAGE_BYTES),
        )
        .add_service(ModelsServer::new(ModelsService(shared.clone())))
        .add_service(AuthServer::new(AuthService(shared.clone())))
        .add_service(SampleServer::new(SampleService(shared.clone())))
        .add_service(
            BatchMgmtServer::new(BatchService(shared))
                .max_decoding_message_size(MAX_MESSAGE_BYTES)
                .max_encoding_message_size(MAX_MESSAGE_BYTES),
        );

    // Only gRPC routes get the gRPC-Web translation (it answers 400 to any other HTTP/1.1
    // request). Inside it every call is native gRPC: a panic becomes INTERNAL, then cap the
    // open calls in all, rate limit, log, check the RPC allowlist, the client's open calls and
    // the size, attach the key, inject faults.
    let guards = args.exposure.guards();
    let grpc_layers = ServiceBuilder::new()
        .layer(GrpcWebLayer::new())
        .map_request(|request: http::Request<tonic::body::Body>| request.map(axum::body::Body::new))
        .map_response(|response: http::Response<_>| response.map(tonic::body::Body::new))
        .layer(catch_panic_layer())
        .layer(guards.total_cap)
        .layer(guards.rate_limit)
        .layer(CallLogLayer)
        .layer(guards.allowlist)
        .layer(guards.stream_cap)
        .layer(guards.request_limit)
        .layer(server_key_layer)
        .layer(InjectFaultsLayer);
    let fault_config = Arc::new(FaultConfig { enabled: args.enable_faults, rules: args.faults.clone() });
    let app_files = static_files::app_files(&args.static_dir, &app_endpoints);
    let router = routes
        .into_axum_router()
        .merge(extra_routes)
        .route_layer(grpc_layers)
        .route("/images/{file}", axum::routing::get(move |Path(file): Path<String>| static_files::image(store.clone(), file)))
        .fallback(move |request: Request| static_files::fallback(app_files.clone(), request))
        .layer(
            ServiceBuilder::new()
                // Every response: no type sniffing (an upload served as HTML), no URLs (which
                // may name a conversation or a model) leaking to other sites.
                .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
                .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
                .layer(OriginGuardLayer::new(&origins, &public))
                .layer(cors_layer(&origins))
                .layer(ResolveFaultsLayer::new(fault_config)),
        );

    let incoming = TcpIncoming::from(listener).with_nodelay(Some(true)).with_keepalive(Some(TCP_KEEPALIVE));
    let incoming = with_opening_within(incoming, OPENING_TIMEOUT);
    let (shutdown, shutdown_signal) = oneshot::channel::<()>();
    let server = tokio::spawn(
        tonic::transport::Server::builder()
            .accept_http1(true)
            .http2_keepalive_interval(Some(HTTP2_KEEPALIVE_INTERVAL))
            .http2_keepalive_timeout(Some(HTTP2_KEEPALIVE_TIMEOUT))
            .serve_with_incoming_shutdown(router, incoming, async {
                let _ = shutdown_signal.await;
            }),
    );
    Ok(RunningGateway { addr, metrics, shutdown, server, batch_worker })
}
