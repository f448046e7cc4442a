//! A fake api.x.ai for the `xai` backend's tests: a tonic server on plain HTTP/2 (random port)
//! serving the REAL RPC names (gateway/proto/upstream). It records every call (method,
//! metadata, encoded request) and answers with fixed, recognisable messages. This file holds
//! the server, its record and the shared fixtures; the answers are in fake_upstream_answers.rs.
#![allow(dead_code)]

#[path = "fake_upstream_answers.rs"]
mod answers;

use std::{
    net::SocketAddr,
    sync::{atomic::AtomicBool, Arc, Mutex},
};

use tokio::net::TcpListener;
use tonic::{transport::server::TcpIncoming, Request, Status};
use xai_gateway::upstream_proto::{
    self as up, auth_server::AuthServer, batch_mgmt_server::BatchMgmtServer, chat_server::ChatServer, image_server::ImageServer,
    models_server::ModelsServer, sample_server::SampleServer,
};

/// One call the fake received.
#[derive(Debug, Clone)]
pub struct Seen {
    /// "Service/Method" as on the wire, e.g. "Auth/get_api_key_info".
    pub method: &'static str,
    pub metadata: http::HeaderMap,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn decode<M: prost::Message + Default>(&self) -> M {
        M::decode(self.body.as_slice()).expect("the gateway sent a valid upstream message")
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.metadata.get(name).map(|value| value.to_str().expect("ascii").to_string())
    }
}

#[derive(Default)]
pub struct State {
    pub seen: Mutex<Vec<Seen>>,
    /// Answer the next call with this status.
    pub fail_next: Mutex<Option<Status>>,
    /// GetCompletionChunk: send one chunk, then hold the stream open until the client leaves.
    pub hold_stream: AtomicBool,
    /// Set when a held stream's receiver went away (the gateway cancelled the upstream call).
    pub stream_cancelled: AtomicBool,
}

impl State {
    pub(super) fn begin<T: prost::Message>(&self, method: &'static str, request: &Request<T>) -> Result<(), Status> {
        let seen = Seen { method, metadata: request.metadata().clone().into_headers(), body: request.get_ref().encode_to_vec() };
        self.seen.lock().unwrap().push(seen);
        match self.fail_next.lock().unwrap().take() {
            Some(status) => Err(status),
            None => Ok(()),
        }
    }

    pub fn calls(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// The last call of `method`.
    pub fn last(&self, method: &str) -> Seen {
        self.calls().into_iter().rev().find(|seen| seen.method == method).unwrap_or_else(|| panic!("no call of {method}"))
    }
}

pub struct FakeUpstream {
    pub addr: SocketAddr,
    pub state: Arc<State>,
    server: tokio::task::JoinHandle<()>,
}

impl FakeUpstream {
    pub async fn start() -> Self {
        let state = Arc::new(State::default());
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let fake = answers::Fake(state.clone());
        let router = tonic::transport::Server::builder()
            .add_service(ChatServer::new(fake.clone()))
            .add_service(ImageServer::new(fake.clone()))
            .add_service(ModelsServer::new(fake.clone()))
            .add_service(AuthServer::new(fake.clone()))
            .add_service(SampleServer::new(fake.clone()))
            .add_service(BatchMgmtServer::new(fake));
        let server = tokio::spawn(async move {
            router.serve_with_incoming(TcpIncoming::from(listener)).await.expect("fake upstream serves");
        });
        Self { addr, state, server }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for FakeUpstream {
    fn drop(&mut self) {
        self.server.abort();
    }
}

pub fn timestamp(seconds: i64) -> Option<up::Timestamp> {
    Some(up::Timestamp { seconds, nanos: 0 })
}

pub fn usage(completion_tokens: i32, cost: i64) -> Option<up::SamplingUsage> {
    Some(up::SamplingUsage {
        completion_tokens,
        prompt_tokens: 12,
        total_tokens: 12 + completion_tokens + 4,
        prompt_text_tokens: 10,
        prompt_image_tokens: 2,
        reasoning_tokens: 4,
        cached_prompt_text_tokens: 6,
        server_side_tools_used: vec![],
        cost_in_usd_ticks: Some(cost),
    })
}

/// A 3x2 PNG, base64.
pub fn png_base64() -> String {
    use base64::Engine as _;
    let mut bytes = Vec::new();
    image::RgbImage::new(3, 2).write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).expect("png");
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn chunk(index: i32, delta: up::Delta, finish_reason: up::FinishReason, usage: Option<up::SamplingUsage>) -> up::GetChatCompletionChunk {
    up::GetChatCompletionChunk {
        id: "resp-stream-1".into(),
        outputs: vec![up::CompletionOutputChunk { delta: Some(delta), finish_reason: finish_reason as i32, index }],
        created: timestamp(1_700_000_100),
        model: "grok-4-0709".into(),
        usage,
        ..Default::default()
    }
}

/// The chunks GetCompletionChunk sends: role and reasoning first, then text; usage only on
/// the first and last (cumulative).
pub fn chat_chunks() -> Vec<up::GetChatCompletionChunk> {
    let role = up::MessageRole::RoleAssistant as i32;
    vec![
        chunk(
            0,
            up::Delta { role, reasoning_content: "Let me think.".into(), ..Default::default() },
            up::FinishReason::ReasonInvalid,
            usage(1, 100),
        ),
        chunk(0, up::Delta { content: "Hel".into(), ..Default::default() }, up::FinishReason::ReasonInvalid, None),
        chunk(0, up::Delta { content: "lo".into(), ..Default::default() }, up::FinishReason::ReasonMaxLen, usage(3, 300)),
    ]
}
