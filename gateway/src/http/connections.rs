//! Connections that never say anything. hyper bounds a request head that is slow to arrive (30 s,
//! enforced because tonic gives it a timer) and HTTP/2 keepalive pings find peers that are gone,
//! but before either the server reads the opening bytes to tell HTTP/1.1 from HTTP/2, with no
//! time limit: a client could hold sockets open by sending nothing, or half of the HTTP/2
//! preface. Here a connection is handed to the server only once its opening has arrived; the
//! waits run side by side, so a silent connection delays no other, and is closed after
//! [`OPENING_TIMEOUT`].
use std::{io, time::Duration};

use futures_util::{Stream, StreamExt as _};
use tokio::net::TcpStream;
use tokio_stream::wrappers::ReceiverStream;
use tonic::transport::server::TcpIncoming;

/// How long a new connection may take to send its first request line or HTTP/2 preface.
pub const OPENING_TIMEOUT: Duration = Duration::from_secs(10);
const HTTP2_PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// `incoming`, passing on each connection once its opening arrived within `timeout`.
pub fn with_opening_within(incoming: TcpIncoming, timeout: Duration) -> impl Stream<Item = io::Result<TcpStream>> {
    let (sender, receiver) = tokio::sync::mpsc::channel(256);
    tokio::spawn(async move {
        let mut incoming = std::pin::pin!(incoming);
        loop {
            // The server dropping its end (shutdown) ends the accept loop and closes the socket.
            let accepted = tokio::select! {
                accepted = incoming.next() => accepted,
                () = sender.closed() => break,
            };
            match accepted {
                Some(Ok(stream)) => {
                    let sender = sender.clone();
                    tokio::spawn(async move {
                        if let Ok(true) = tokio::time::timeout(timeout, opening_arrives(&stream)).await {
                            let _ = sender.send(Ok(stream)).await;
                        }
                    });
                }
                Some(Err(error)) => {
                    if sender.send(Err(error)).await.is_err() {
                        break;
                    }
                }
                None => break,
            }
        }
    });
    ReceiverStream::new(receiver)
}

/// Waits until the connection has sent something other than the start of the HTTP/2 preface,
/// or the whole preface (false: it closed first).
async fn opening_arrives(stream: &TcpStream) -> bool {
    let mut opening = [0u8; HTTP2_PREFACE.len()];
    loop {
        let read = match stream.peek(&mut opening).await {
            Ok(0) | Err(_) => return false,
            Ok(read) => read,
        };
        if read == opening.len() || opening[..read] != HTTP2_PREFACE[..read] {
            return true;
        }
        // Part of the preface: peek would answer at once again, so look again a little later.
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
