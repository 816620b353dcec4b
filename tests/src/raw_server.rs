//! [`RawServer`]: a server on 127.0.0.1 that answers with raw bytes, for the faults an HTTP
//! framework will not produce: a `Content-Length` it never honours, a connection reset in
//! the middle of a body.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How a connection ends once its answer is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// An orderly close.
    Close,
    /// A reset (`SO_LINGER` of zero), as a crashed proxy does.
    Reset,
}

/// One connection's answer: the bytes written, then how the connection ends.
#[derive(Debug, Clone)]
pub struct RawAnswer {
    bytes: Vec<u8>,
    end: End,
}

impl RawAnswer {
    /// `HTTP/1.1 {status_line}`, the `headers` (and `Connection: close`, so that every request
    /// takes a connection of its own), then `body`, however little of what the headers
    /// announce it is.
    pub fn new(status_line: &str, headers: &[(&str, &str)], body: &[u8], end: End) -> Self {
        let mut bytes = format!("HTTP/1.1 {status_line}\r\nconnection: close\r\n").into_bytes();
        for (name, value) in headers {
            bytes.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        bytes.extend_from_slice(b"\r\n");
        bytes.extend_from_slice(body);
        Self { bytes, end }
    }

    /// A complete JSON answer.
    pub fn json(status_line: &str, body: &str) -> Self {
        let length = body.len().to_string();
        Self::new(
            status_line,
            &[("content-type", "application/json"), ("content-length", &length)],
            body.as_bytes(),
            End::Close,
        )
    }
}

/// A server whose `n`th connection gets the `n`th answer (the last one for every connection
/// after it); it stops when dropped.
pub struct RawServer {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    requests: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl RawServer {
    /// Starts answering with `answers` (at least one).
    pub async fn start(answers: Vec<RawAnswer>) -> Self {
        assert!(!answers.is_empty(), "a raw server needs an answer");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
        let base_url = format!("http://{}", listener.local_addr().expect("local address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            for n in 0.. {
                let Ok((stream, _)) = listener.accept().await else { return };
                let answer = answers[n.min(answers.len() - 1)].clone();
                let seen = Arc::clone(&seen);
                tokio::spawn(answer_one(stream, answer, seen));
            }
        });
        Self { base_url, requests, task }
    }

    /// The request line of every request received so far (`DELETE /v1/models/m1 HTTP/1.1`).
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().expect("requests lock").clone()
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn answer_one(mut stream: TcpStream, answer: RawAnswer, seen: Arc<Mutex<Vec<String>>>) {
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    // The requests tested carry no body: the head ends the request.
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buffer[..n]),
        }
    }
    let line = String::from_utf8_lossy(&head).lines().next().unwrap_or_default().to_owned();
    seen.lock().expect("requests lock").push(line);
    if stream.write_all(&answer.bytes).await.is_err() {
        return;
    }
    let _ = stream.flush().await;
    match answer.end {
        End::Close => {
            let _ = stream.shutdown().await;
        }
        End::Reset => {
            // Let the client read what was written first: a reset discards what it has not.
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            let _ = stream.set_zero_linger();
        }
    }
}
