//! Which RPCs this deployment answers (`--allow-rpc`). A public chat widget, for instance, may
//! only chat: `--allow-rpc Chat/CreateChatCompletionStream --allow-rpc Models/*`. Any other call
//! is answered PERMISSION_DENIED before it reaches the service (so the server-held key cannot
//! be used to mint keys or start batches). Without the flag every RPC is allowed.
use std::{
    fmt,
    sync::{Arc, OnceLock},
    task::{Context, Poll},
};

use futures_util::future::{Either, Ready};
use http::{Request, Response};
use tonic::{body::Body as TonicBody, Status};
use tower_layer::Layer;
use tower_service::Service;

use super::refusal;

const PACKAGE: &str = "xai_api";
/// The service definitions; the known RPCs are read from them so the list cannot drift.
const PROTOS: [&str; 6] = [
    include_str!("../../../proto/xai_api/auth.proto"),
    include_str!("../../../proto/xai_api/batch.proto"),
    include_str!("../../../proto/xai_api/chat.proto"),
    include_str!("../../../proto/xai_api/image.proto"),
    include_str!("../../../proto/xai_api/models.proto"),
    include_str!("../../../proto/xai_api/sample.proto"),
];

/// Every RPC of the protos as (service, method), e.g. ("Chat", "CreateChatCompletionStream").
pub fn known_rpcs() -> &'static [(String, String)] {
    static KNOWN: OnceLock<Vec<(String, String)>> = OnceLock::new();
    KNOWN.get_or_init(|| {
        let mut rpcs = Vec::new();
        for proto in PROTOS {
            let mut service = None;
            for line in proto.lines().map(str::trim) {
                if let Some(rest) = line.strip_prefix("service ") {
                    service = rest.split_whitespace().next().map(str::to_string);
                } else if let (Some(rest), Some(service)) = (line.strip_prefix("rpc "), &service) {
                    let method = rest.split('(').next().unwrap_or_default().trim();
                    rpcs.push((service.clone(), method.to_string()));
                }
            }
        }
        rpcs
    })
}

/// One `--allow-rpc` entry: `Service/Method` or `Service/*` (the package prefix is optional).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpcPattern {
    service: String,
    /// None: every method of the service.
    method: Option<String>,
}

impl fmt::Display for RpcPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.service, self.method.as_deref().unwrap_or("*"))
    }
}

impl RpcPattern {
    /// Parses and checks an entry against the known RPCs (for clap).
    pub fn parse(text: &str) -> Result<Self, String> {
        let bare = text.trim().trim_start_matches('/');
        let bare = bare.strip_prefix(PACKAGE).and_then(|rest| rest.strip_prefix('.')).unwrap_or(bare);
        let Some((service, method)) = bare.split_once('/') else {
            return Err(format!("{text:?} is not Service/Method or Service/* (e.g. Chat/CreateChatCompletionStream)"));
        };
        let known = known_rpcs();
        if !known.iter().any(|(known_service, _)| known_service == service) {
            let mut services: Vec<&str> = known.iter().map(|(service, _)| service.as_str()).collect();
            services.dedup();
            return Err(format!("unknown service {service:?} in {text:?}: known services are {}", services.join(", ")));
        }
        if method == "*" {
            return Ok(Self { service: service.to_string(), method: None });
        }
        if !known.iter().any(|(known_service, known_method)| known_service == service && known_method == method) {
            let methods: Vec<&str> =
                known.iter().filter(|(known_service, _)| known_service == service).map(|(_, method)| method.as_str()).collect();
            return Err(format!("unknown method {method:?} of {service}: it has {}, or use {service}/*", methods.join(", ")));
        }
        Ok(Self { service: service.to_string(), method: Some(method.to_string()) })
    }

    /// Whether a request path `/xai_api.Service/Method` is matched.
    fn matches(&self, path: &str) -> bool {
        let Some((service, method)) = path
            .trim_start_matches('/')
            .strip_prefix(PACKAGE)
            .and_then(|rest| rest.strip_prefix('.'))
            .and_then(|rest| rest.split_once('/'))
        else {
            return false;
        };
        service == self.service && self.method.as_deref().is_none_or(|allowed| allowed == method)
    }
}

/// Refuses calls no pattern matches; no patterns: every call passes.
#[derive(Debug, Clone)]
pub struct RpcAllowlistLayer {
    allowed: Arc<[RpcPattern]>,
}

impl RpcAllowlistLayer {
    pub fn new(allowed: &[RpcPattern]) -> Self {
        Self { allowed: allowed.into() }
    }
}

impl<S> Layer<S> for RpcAllowlistLayer {
    type Service = RpcAllowlist<S>;
    fn layer(&self, inner: S) -> Self::Service {
        RpcAllowlist { inner, allowed: self.allowed.clone() }
    }
}

#[derive(Debug, Clone)]
pub struct RpcAllowlist<S> {
    inner: S,
    allowed: Arc<[RpcPattern]>,
}

impl<S, ReqBody> Service<Request<ReqBody>> for RpcAllowlist<S>
where
    S: Service<Request<ReqBody>, Response = Response<TonicBody>>,
{
    type Response = Response<TonicBody>;
    type Error = S::Error;
    type Future = Either<S::Future, Ready<Result<Self::Response, Self::Error>>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        let path = request.uri().path();
        if self.allowed.is_empty() || self.allowed.iter().any(|pattern| pattern.matches(path)) {
            return Either::Left(self.inner.call(request));
        }
        let allowed: Vec<String> = self.allowed.iter().map(ToString::to_string).collect();
        let status = Status::permission_denied(format!(
            "{} is not available on this gateway (it allows only {})",
            path.trim_start_matches('/'),
            allowed.join(", ")
        ));
        Either::Right(futures_util::future::ready(Ok(refusal(status, None))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_proto_file_is_read() {
        let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../proto/xai_api"))
            .unwrap()
            .filter_map(|entry| {
                let text = std::fs::read_to_string(entry.unwrap().path()).ok()?;
                text.contains("\nservice ").then_some(text)
            })
            .count();
        assert_eq!(files, PROTOS.len(), "a proto file with a service is missing from PROTOS");
        assert_eq!(known_rpcs().len(), 22);
        assert!(known_rpcs().contains(&("Chat".into(), "CreateChatCompletionStream".into())));
    }

    #[test]
    fn patterns_parse_with_or_without_the_package() {
        let exact = RpcPattern::parse("Chat/CreateChatCompletionStream").unwrap();
        assert_eq!(exact, RpcPattern::parse("xai_api.Chat/CreateChatCompletionStream").unwrap());
        assert!(exact.matches("/xai_api.Chat/CreateChatCompletionStream"));
        assert!(!exact.matches("/xai_api.Chat/CreateChatCompletion"));
        let service = RpcPattern::parse("Models/*").unwrap();
        assert!(service.matches("/xai_api.Models/GetModel"));
        assert!(!service.matches("/xai_api.Auth/CreateApiKey"));
        assert_eq!(service.to_string(), "Models/*");
    }

    #[test]
    fn unknown_names_are_refused_with_the_known_ones() {
        let error = RpcPattern::parse("Chat/Nope").unwrap_err();
        assert!(error.contains("CreateChatCompletionStream"), "{error}");
        let error = RpcPattern::parse("Chats/*").unwrap_err();
        assert!(error.contains("Auth, BatchMgmt, Chat, Image, Models, Sample"), "{error}");
        assert!(RpcPattern::parse("Chat").is_err());
        assert!(RpcPattern::parse("").is_err());
    }
}
