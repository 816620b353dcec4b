//! Fetching sources over HTTP(S) or from local files: a timeout, a size limit and a few
//! retries for each, a bounded number at once, no credentials sent.

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use sha2::{Digest, Sha256};

/// Responses larger than this are cut off and refused.
pub const MAX_BYTES: u64 = 32 * 1024 * 1024;
/// Attempts per URL for connection failures, timeouts, 429 and 5xx.
const ATTEMPTS: u32 = 3;
/// Pages fetched at once from an index.
const CONCURRENCY: usize = 4;
/// The first retry waits this long; each further one twice as long.
const FIRST_BACKOFF: Duration = Duration::from_millis(200);

/// One fetched source.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL or path it was fetched from.
    pub name: String,
    /// Its text.
    pub text: String,
    /// The SHA-256 of its bytes, in hex.
    pub sha256: String,
}

/// Whether `source` is a URL rather than a local path.
pub fn is_url(source: &str) -> bool {
    source.starts_with("http://") || source.starts_with("https://")
}

/// Fetches URLs and reads local files.
pub struct Fetcher {
    /// The workspace's one HTTP stack (reqwest on rustls), in its blocking form.
    client: reqwest::blocking::Client,
}

impl Fetcher {
    /// A fetcher with this project's user agent, 30 s per request and 10 s to connect.
    pub fn new() -> anyhow::Result<Self> {
        let client = reqwest::blocking::Client::builder()
            .user_agent(concat!("modelhost-xtask/", env!("CARGO_PKG_VERSION"), " (codegen --pull)"))
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::limited(5))
            .build()
            .context("cannot set up the HTTP client")?;
        Ok(Self { client })
    }

    /// Fetches one URL or reads one file.
    pub fn get(&self, source: &str) -> anyhow::Result<Fetched> {
        let bytes = if is_url(source) { self.get_url(source)? } else { read_file(Path::new(source))? };
        let sha256 = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        let text =
            String::from_utf8(bytes).map_err(|_| anyhow!("{source}: the response is not UTF-8 text"))?;
        Ok(Fetched { name: source.to_owned(), text, sha256 })
    }

    /// Fetches all `sources`, [`CONCURRENCY`] at a time, in their order; fails on the first
    /// that fails.
    pub fn get_all(&self, sources: &[String]) -> anyhow::Result<Vec<Fetched>> {
        let mut out = Vec::with_capacity(sources.len());
        for chunk in sources.chunks(CONCURRENCY) {
            let results: Vec<anyhow::Result<Fetched>> = std::thread::scope(|scope| {
                let handles: Vec<_> = chunk.iter().map(|s| scope.spawn(move || self.get(s))).collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|_| Err(anyhow!("a fetch panicked"))))
                    .collect()
            });
            for result in results {
                out.push(result?);
            }
        }
        Ok(out)
    }

    fn get_url(&self, url: &str) -> anyhow::Result<Vec<u8>> {
        let mut wait = FIRST_BACKOFF;
        for attempt in 1..=ATTEMPTS {
            match self.get_once(url) {
                Ok(bytes) => return Ok(bytes),
                Err(Failure { retryable: true, .. }) if attempt < ATTEMPTS => {
                    std::thread::sleep(wait);
                    wait *= 2;
                }
                Err(Failure { message, .. }) => bail!("GET {url}: {message}"),
            }
        }
        unreachable!("the last attempt returns")
    }

    fn get_once(&self, url: &str) -> Result<Vec<u8>, Failure> {
        let response = self.client.get(url).send().map_err(Failure::from_transport)?;
        let status = response.status();
        if !status.is_success() {
            let retryable = status.as_u16() == 429 || status.is_server_error();
            return Err(Failure { retryable, message: format!("HTTP {status}") });
        }
        let mut bytes = Vec::new();
        // One byte past the limit tells a body of exactly MAX_BYTES from a longer one.
        response.take(MAX_BYTES + 1).read_to_end(&mut bytes).map_err(|e| Failure {
            retryable: true,
            message: format!("the response was cut off: {}", error_chain(&e)),
        })?;
        if bytes.len() as u64 > MAX_BYTES {
            return Err(Failure {
                retryable: false,
                message: format!("the response is larger than {} MiB and was cut off", MAX_BYTES >> 20),
            });
        }
        Ok(bytes)
    }
}

/// Why one attempt failed, and whether another may succeed.
struct Failure {
    retryable: bool,
    message: String,
}

impl Failure {
    /// No response: refused or lost connections and timeouts are worth another attempt; a
    /// bad URL or a redirect loop is not.
    fn from_transport(e: reqwest::Error) -> Self {
        let retryable = e.is_connect() || e.is_timeout() || (e.is_request() && !e.is_builder());
        // The message starts with `GET URL` already.
        Self { retryable, message: error_chain(&e.without_url()) }
    }
}

/// An error with its causes, which reqwest keeps apart ("error sending request": "connection
/// refused").
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

fn read_file(path: &Path) -> anyhow::Result<Vec<u8>> {
    let len = std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?.len();
    if len > MAX_BYTES {
        bail!("{}: larger than {} MiB", path.display(), MAX_BYTES >> 20);
    }
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}
