//! Load benchmark of the gateway binary (run by `scripts/bench-gateway.sh`; prints figures,
//! asserts nothing). It starts the release gateway as a child process and measures:
//!
//! 1. `latency`: what the gRPC-Web path (HTTP/1.1, frames parsed by hand as a browser's fetch
//!    does) costs over native gRPC (HTTP/2, tonic), both against the same local backend:
//!    time to the first message of a call, and the time per message of an unthrottled stream
//!    (at full speed the arrival interval is the per-message cost of the slowest stage, so the
//!    difference between the paths is what the translation adds per message).
//! 2. `capacity`: slow gRPC-Web chat streams (1 message/s each, one HTTP/1.1 connection each,
//!    as browsers hold them), ramped up in levels, held open together; per level: streams open,
//!    errors, the message interval (1 s when keeping up), the gateway's RSS and RSS per stream.
//!
//! Usage: `load <gateway binary> latency|capacity [levels...]`
use std::{
    net::SocketAddr,
    path::Path,
    process::{Child, Command, Stdio},
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use bytes::{Buf, Bytes, BytesMut};
use http_body_util::{BodyExt as _, Full};
use prost::Message as _;
use tokio::{net::TcpStream, sync::Semaphore};
use tokio_stream::StreamExt as _;
use xai_gateway::proto::{chat_client::ChatClient, ChatCompletionChunk, ChatCompletionRequest, Message};

type Error = Box<dyn std::error::Error + Send + Sync>;

/// The gateway under test, killed when dropped.
struct Gateway {
    child: Child,
    addr: SocketAddr,
    _data: tempfile::TempDir,
}

impl Gateway {
    fn start(binary: &Path, flags: &[&str]) -> Self {
        use std::io::BufRead as _;
        let data = tempfile::tempdir().expect("temp dir");
        let mut child = Command::new(binary)
            .args(["--listen", "127.0.0.1:0", "--log-level", "warn", "--data-dir"])
            .arg(data.path())
            .arg("--static-dir")
            .arg(data.path().join("no-app"))
            .args(flags)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("gateway starts");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).expect("listening line");
        let addr = line.split("http://").nth(1).and_then(|rest| rest.split_whitespace().next()).expect("address").parse().unwrap();
        Gateway { child, addr, _data: data }
    }

    /// Resident memory of the gateway process, in KiB.
    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        let line = status.lines().find(|line| line.starts_with("VmRSS:")).unwrap_or("VmRSS: 0 kB");
        line.split_whitespace().nth(1).and_then(|kib| kib.parse().ok()).unwrap_or(0)
    }

    /// CPU time the gateway process has used so far (user + system; clock ticks of 10 ms).
    fn cpu_time(&self) -> Duration {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        // Fields after the command name (which is in parentheses): state is field 3, utime 14.
        let fields: Vec<u64> =
            stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().map(|field| field.parse().unwrap_or(0)).collect();
        let ticks = fields.get(11).copied().unwrap_or(0) + fields.get(12).copied().unwrap_or(0);
        Duration::from_millis(ticks * 10)
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn question() -> ChatCompletionRequest {
    let message = Message { role: "user".into(), content: "Tell me about streams".into(), ..Default::default() };
    ChatCompletionRequest { model: "grok-3".into(), messages: vec![message], ..Default::default() }
}

/// An HTTP/1.1 connection speaking gRPC-Web, as a browser's fetch does.
async fn grpc_web_connection(addr: SocketAddr) -> Result<hyper::client::conn::http1::SendRequest<Full<Bytes>>, Error> {
    let stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (sender, connection) = hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    Ok(sender)
}

/// One gRPC-Web chat stream; calls `arrived` with the arrival time of each decoded message.
async fn grpc_web_stream(
    sender: &mut hyper::client::conn::http1::SendRequest<Full<Bytes>>,
    addr: SocketAddr,
    mut arrived: impl FnMut(Instant),
) -> Result<(), Error> {
    let payload = question().encode_to_vec();
    let mut framed = vec![0u8];
    framed.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    framed.extend_from_slice(&payload);
    let request = http::Request::post("/xai_api.Chat/CreateChatCompletionStream")
        .header("host", addr.to_string())
        .header("content-type", "application/grpc-web+proto")
        .header("x-grpc-web", "1")
        .body(Full::new(Bytes::from(framed)))?;
    sender.ready().await?;
    let response = sender.send_request(request).await?;
    if let Some(status) = response.headers().get("grpc-status") {
        return Err(format!("refused: grpc-status {status:?}").into());
    }
    let mut body = response.into_body();
    let mut buffer = BytesMut::new();
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame?.into_data() else { continue };
        buffer.extend_from_slice(&data);
        while buffer.len() >= 5 {
            let length = (&buffer[1..5]).get_u32() as usize;
            if buffer.len() < 5 + length {
                break;
            }
            let flag = buffer[0];
            let frame = buffer.split_to(5 + length).freeze().slice(5..);
            if flag & 0x80 != 0 {
                let trailer = String::from_utf8_lossy(&frame);
                return if trailer.contains("grpc-status:0") { Ok(()) } else { Err(trailer.into_owned().into()) };
            }
            ChatCompletionChunk::decode(frame)?;
            arrived(Instant::now());
        }
    }
    Err("stream ended without a trailer".into())
}

/// Sorted copy's `p`-quantile (0..=1), in milliseconds.
fn quantile_ms(values: &mut [Duration], p: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_unstable();
    let index = ((values.len() - 1) as f64 * p).round() as usize;
    values[index].as_secs_f64() * 1000.0
}

#[derive(Default)]
struct PathFigures {
    first_message: Vec<Duration>,
    gaps: Vec<Duration>,
    per_message: Vec<Duration>,
    messages: usize,
}

impl PathFigures {
    fn record(&mut self, started: Instant, arrivals: &[Instant]) {
        let (Some(first), Some(last)) = (arrivals.first(), arrivals.last()) else {
            return;
        };
        self.first_message.push(*first - started);
        self.gaps.extend(arrivals.windows(2).map(|pair| pair[1] - pair[0]));
        // The whole call per message: request, generation, encoding, transfer, decoding. (The
        // gaps alone would mostly show the client's decoding: at full speed the server packs
        // many messages into each write.)
        self.per_message.push((*last - started) / arrivals.len() as u32);
        self.messages += arrivals.len();
    }

    fn print(&mut self, name: &str) {
        let calls = self.first_message.len();
        println!(
            "{name:<20} {calls:>5} {:>6} {:>9.3} {:>9.3} {:>9.3} {:>9.3} {:>9.4} {:>9.4}",
            self.messages / calls.max(1),
            quantile_ms(&mut self.first_message, 0.5),
            quantile_ms(&mut self.first_message, 0.99),
            quantile_ms(&mut self.gaps, 0.5),
            quantile_ms(&mut self.gaps, 0.99),
            quantile_ms(&mut self.per_message, 0.5),
            quantile_ms(&mut self.per_message, 0.99),
        );
    }
}

async fn latency(binary: &Path, rounds: usize) -> Result<(), Error> {
    for (label, flags, rounds) in [
        ("short answers, unthrottled (--stream-rate 0): time to first message", ["--stream-rate", "0", "--min-answer-chars", "0"], rounds),
        (
            "long answers, unthrottled (--stream-rate 0 --min-answer-chars 20000): time per message",
            ["--stream-rate", "0", "--min-answer-chars", "20000"],
            rounds,
        ),
        (
            "paced answers (--stream-rate 200, one message every 5 ms): message intervals",
            ["--stream-rate", "200", "--min-answer-chars", "2000"],
            rounds / 5,
        ),
    ] {
        let gateway = Gateway::start(binary, &flags);
        let addr = gateway.addr;
        let mut native = ChatClient::connect(format!("http://{addr}")).await?;
        let mut web = grpc_web_connection(addr).await?;
        let (mut native_figures, mut web_figures) = (PathFigures::default(), PathFigures::default());
        // Interleaved so both paths see the same machine load; the first rounds warm up.
        for round in 0..rounds + 5 {
            let mut arrivals = Vec::with_capacity(8192);
            let started = Instant::now();
            let mut stream = native.create_chat_completion_stream(question()).await?.into_inner();
            while let Some(chunk) = stream.next().await {
                chunk?;
                arrivals.push(Instant::now());
            }
            if round >= 5 {
                native_figures.record(started, &arrivals);
            }
            arrivals.clear();
            let started = Instant::now();
            grpc_web_stream(&mut web, addr, |at| arrivals.push(at)).await?;
            if round >= 5 {
                web_figures.record(started, &arrivals);
            }
        }
        println!("\n{label}: {rounds} calls per path, times in ms");
        println!(
            "{:<20} {:>5} {:>6} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
            "path", "calls", "msgs", "1st p50", "1st p99", "gap p50", "gap p99", "/msg p50", "/msg p99"
        );
        native_figures.print("native gRPC (h2)");
        web_figures.print("gRPC-Web (HTTP/1.1)");
    }
    Ok(())
}

async fn capacity(binary: &Path, levels: &[usize]) -> Result<(), Error> {
    // LOAD_MIN_ANSWER_CHARS lengthens the answers, to tell the local backend's share of the
    // memory (it holds each answer whole) from the gateway's own.
    let answer_chars = std::env::var("LOAD_MIN_ANSWER_CHARS").unwrap_or_else(|_| "0".into());
    let gateway = Gateway::start(binary, &["--stream-rate", "1", "--min-answer-chars", &answer_chars]);
    let addr = gateway.addr;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let idle_kib = gateway.rss_kib();
    println!("\ncapacity: slow gRPC-Web streams (1 message/s each, one HTTP/1.1 connection each; 10 s per level; --min-answer-chars {answer_chars})");
    println!("gateway RSS idle: {:.1} MiB", idle_kib as f64 / 1024.0);
    println!(
        "{:>7} {:>7} {:>7} {:>9} {:>9} {:>9} {:>8} {:>10} {:>12}",
        "level", "open", "errors", "gap p50", "gap p99", "gap max", "CPU %", "RSS MiB", "KiB/stream"
    );
    let opened = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let first_error = Arc::new(Mutex::new(None::<String>));
    let gaps = Arc::new(Mutex::new(Vec::<Duration>::new()));
    let connecting = Arc::new(Semaphore::new(200));
    let mut tasks = Vec::new();
    for &level in levels {
        while tasks.len() < level {
            let (opened, errors, gaps, connecting) = (opened.clone(), errors.clone(), gaps.clone(), connecting.clone());
            let first_error = first_error.clone();
            tasks.push(tokio::spawn(async move {
                let permit = connecting.acquire_owned().await;
                let mut last: Option<Instant> = None;
                let mut permit = Some(permit);
                // A finished answer is followed by the next question on the same connection, so
                // the level holds however long it is measured.
                let result: Result<(), Error> = async {
                    let mut sender = grpc_web_connection(addr).await?;
                    loop {
                        last = None;
                        grpc_web_stream(&mut sender, addr, |at| {
                            match last {
                                None if permit.take().is_some() => {
                                    opened.fetch_add(1, Ordering::Relaxed);
                                }
                                None => {}
                                Some(previous) => gaps.lock().unwrap().push(at - previous),
                            }
                            last = Some(at);
                        })
                        .await?;
                    }
                }
                .await;
                if let Err(error) = result {
                    errors.fetch_add(1, Ordering::Relaxed);
                    first_error.lock().unwrap().get_or_insert_with(|| error.to_string());
                }
            }));
        }
        let ramp_deadline = Instant::now() + Duration::from_secs(120);
        while opened.load(Ordering::Relaxed) + errors.load(Ordering::Relaxed) < level && Instant::now() < ramp_deadline {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        gaps.lock().unwrap().clear();
        let cpu_before = gateway.cpu_time();
        tokio::time::sleep(Duration::from_secs(10)).await;
        let cpu = (gateway.cpu_time() - cpu_before).as_secs_f64() / 10.0 * 100.0;
        let mut window = std::mem::take(&mut *gaps.lock().unwrap());
        let rss_kib = gateway.rss_kib();
        let open = opened.load(Ordering::Relaxed);
        let failed = errors.load(Ordering::Relaxed);
        let per_stream = rss_kib.saturating_sub(idle_kib) as f64 / open.max(1) as f64;
        let (p50, p99) = (quantile_ms(&mut window, 0.5), quantile_ms(&mut window, 0.99));
        let max = window.last().map_or(f64::NAN, |max| max.as_secs_f64() * 1000.0);
        println!(
            "{level:>7} {open:>7} {failed:>7} {p50:>9.1} {p99:>9.1} {max:>9.1} {cpu:>8.0} {:>10.1} {per_stream:>12.1}",
            rss_kib as f64 / 1024.0
        );
        if failed * 100 > level || p99 > 2000.0 {
            println!("stopping: errors above 1% or the 99th percentile interval above 2 s (1 s expected)");
            if let Some(error) = first_error.lock().unwrap().as_ref() {
                println!("first error: {error}");
            }
            break;
        }
    }
    for task in &tasks {
        task.abort();
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [binary, mode, rest @ ..] = args.as_slice() else {
        return Err("usage: load <gateway binary> latency [rounds] | capacity [levels...]".into());
    };
    let binary = Path::new(binary);
    let numbers: Vec<usize> = rest.iter().map(|text| text.parse()).collect::<Result<_, _>>()?;
    match mode.as_str() {
        "latency" => latency(binary, numbers.first().copied().unwrap_or(200)).await,
        "capacity" => capacity(binary, if numbers.is_empty() { &[100, 1000, 5000, 10000, 15000, 19000] } else { &numbers }).await,
        other => Err(format!("unknown mode {other:?}: latency or capacity").into()),
    }
}
