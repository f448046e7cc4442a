//! The gateway binary as an operator runs it: one-line errors for bad flags, and the
//! server-held key never leaves the process (responses, headers, logs).
mod common;

use std::{
    io::{BufRead as _, BufReader},
    net::SocketAddr,
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use bytes::Bytes;
use common::{
    grpc_web::{frame, grpc_status, grpc_web_post},
    http1_request, user_message,
};
use http_body_util::Full;
use xai_gateway::proto::{
    ChatCompletionRequest, CreateApiKeyRequest, GetApiKeyRequest, ImageRequest, ListApiKeysRequest, ListBatchesRequest, ListModelsRequest,
    RawSampleRequest,
};

const BINARY: &str = env!("CARGO_BIN_EXE_xai-gateway");

fn gateway_command(dir: &Path, extra: &[&str]) -> Command {
    let static_dir = dir.join("dist");
    std::fs::create_dir_all(&static_dir).unwrap();
    std::fs::write(static_dir.join("index.html"), "<!doctype html><title>xai-web</title>").unwrap();
    let mut command = Command::new(BINARY);
    command
        .args(["--listen", "127.0.0.1:0", "--stream-rate", "0", "--data-dir"])
        .arg(dir.join("data"))
        .arg("--static-dir")
        .arg(&static_dir)
        .args(extra);
    command
}

/// Waits for `child` to exit (it must, within 20 s).
fn wait_exit(mut child: Child) -> std::process::Output {
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the gateway started instead of refusing its flags");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn bad_flags_stop_the_start_with_one_line() {
    let temp = tempfile::tempdir().unwrap();
    let a_file = temp.path().join("a-file");
    std::fs::write(&a_file, "not a directory").unwrap();
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let busy_addr = busy.local_addr().unwrap().to_string();
    let inside_static = temp.path().join("dist").join("data");
    let (a_file, temp_dir, inside) = (a_file.to_str().unwrap(), temp.path().to_str().unwrap(), inside_static.to_str().unwrap());
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--listen", "localhost"], "invalid value 'localhost' for '--listen"),
        (vec!["--listen", &busy_addr], "cannot listen on"),
        (vec!["--static-dir", a_file], "cannot read --static-dir"),
        (vec!["--data-dir", inside], "contains"),
        (vec!["--server-key-file", temp_dir], "cannot read the server key file"),
        (vec!["--cors-origin", "example.com"], "invalid --cors-origin \"example.com\""),
        (vec!["--cors-origin", "https://example.com/app"], "invalid --cors-origin"),
        (vec!["--allow-rpc", "Chat/Nope"], "unknown method \"Nope\" of Chat"),
        (vec!["--allow-rpc", "Chats/*"], "unknown service \"Chats\""),
        (vec!["--allow-rpc", "Chat"], "not Service/Method"),
        (vec!["--rate-limit-rps", "fast"], "not a rate"),
        (vec!["--rate-limit-burst", "0"], "--rate-limit-burst"),
        (vec!["--max-request-bytes", "12XB"], "unknown unit"),
        (vec!["--fault", "status=14"], "needs --enable-faults"),
    ];
    for (flags, expected) in cases {
        let child = gateway_command(temp.path(), &[&["--log-level", "error"], flags.as_slice()].concat())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let output = wait_exit(child);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{flags:?} started");
        assert!(output.stdout.is_empty(), "{flags:?}: nothing on stdout");
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{flags:?}: one line, got {stderr:?}");
        assert!(lines[0].starts_with("xai-gateway: "), "{flags:?}: {stderr:?}");
        assert!(lines[0].contains(expected), "{flags:?}: {stderr:?} lacks {expected:?}");
    }
    drop(busy);
}

/// The gateway binary with its output captured; killed when dropped.
struct RunningBinary {
    child: Child,
    addr: SocketAddr,
}

impl Drop for RunningBinary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_binary(dir: &Path, log: &Path, extra: &[&str]) -> RunningBinary {
    let log_file = std::fs::File::create(log).unwrap();
    let mut child = gateway_command(dir, extra).stdout(Stdio::piped()).stderr(log_file).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.split("http://").nth(1).and_then(|rest| rest.split_whitespace().next()).expect("listening line").parse().unwrap();
    RunningBinary { child, addr }
}

/// Every response part as bytes: status line, headers, body, trailers.
async fn fetch(addr: SocketAddr, request: http::Request<Full<Bytes>>) -> (Option<u32>, Vec<u8>) {
    let (head, chunks, trailers) = http1_request(addr, request).await;
    let body = chunks.concat();
    let mut seen = format!("{:?} {:?}\n", head.status, head.headers).into_bytes();
    seen.extend_from_slice(&body);
    seen.extend_from_slice(format!("{trailers:?}").as_bytes());
    (grpc_status(&head, &body), seen)
}

#[tokio::test]
async fn the_server_key_never_leaves_the_gateway() {
    let temp = tempfile::tempdir().unwrap();
    let log = temp.path().join("gateway.log");
    let gateway = start_binary(temp.path(), &log, &["--log-level", "trace", "--enable-faults"]);
    let addr = gateway.addr;
    let key = std::fs::read_to_string(temp.path().join("data/server-key")).unwrap().trim().to_string();
    assert!(key.len() > 40);

    let chat = ChatCompletionRequest { model: "grok-3".into(), messages: vec![user_message("hello")], ..Default::default() };
    let bad_chat = ChatCompletionRequest { model: "no-such-model".into(), ..Default::default() };
    type Call<'a> = (&'a str, Bytes, &'a [(&'a str, &'a str)]);
    let calls: Vec<Call> = vec![
        ("/xai_api.Models/ListModels", frame(&ListModelsRequest {}), &[]),
        ("/xai_api.Auth/GetApiKey", frame(&GetApiKeyRequest {}), &[]),
        ("/xai_api.Auth/ListApiKeys", frame(&ListApiKeysRequest {}), &[]),
        ("/xai_api.Auth/CreateApiKey", frame(&CreateApiKeyRequest { name: "scan".into(), acls: vec![] }), &[]),
        ("/xai_api.Chat/CreateChatCompletionStream", frame(&chat), &[]),
        ("/xai_api.Chat/CreateChatCompletion", frame(&bad_chat), &[]),
        ("/xai_api.Sample/RawSample", frame(&RawSampleRequest { prompt: "hi".into(), model: "grok-3".into(), ..Default::default() }), &[]),
        (
            "/xai_api.Image/CreateImage",
            frame(&ImageRequest { prompt: "a cat".into(), model: "grok-2-image".into(), ..Default::default() }),
            &[],
        ),
        ("/xai_api.BatchMgmt/ListBatches", frame(&ListBatchesRequest::default()), &[]),
        ("/xai_api.Models/ListModels", frame(&ListModelsRequest {}), &[("x-fault", "status=unauthenticated")]),
        ("/xai_api.Models/ListModels", frame(&ListModelsRequest {}), &[("authorization", "Bearer xai-wrong")]),
        ("/xai_api.Models/Nope", frame(&ListModelsRequest {}), &[]),
    ];
    let mut everything = Vec::new();
    let mut succeeded = 0;
    for (path, body, extra) in calls {
        let (status, seen) = fetch(addr, grpc_web_post(addr, path, body, extra)).await;
        succeeded += usize::from(status == Some(0));
        everything.extend(seen);
    }
    assert_eq!(succeeded, 8, "the calls with the server key worked");
    for path in ["/", "/index.html", "/server-key", "/data/server-key", "/../data/server-key", "/%2e%2e/data/server-key", "/images/x.png"] {
        let request = http::Request::get(path).header("host", addr.to_string()).body(Full::new(Bytes::new())).unwrap();
        everything.extend(fetch(addr, request).await.1);
    }
    drop(gateway);
    let logs = std::fs::read(&log).unwrap();
    assert!(logs.len() > 1000, "trace logs were written");

    // Neither the key nor any 8 characters of its random part appear anywhere.
    let secret = key.trim_start_matches("xai-").as_bytes();
    for (name, haystack) in [("responses", &everything), ("logs", &logs)] {
        assert!(!haystack.windows(key.len()).any(|window| window == key.as_bytes()), "the key is in the {name}");
        for piece in secret.windows(8) {
            assert!(!haystack.windows(8).any(|window| window == piece), "part of the key is in the {name}");
        }
    }
}
