//! Tests that start real `agora` processes and talk to them over TCP: two servers on one
//! PostgreSQL database, crashes under load, and a backup's round trip.

mod backup;
mod cluster;
mod durability;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The `agora` binary cargo built for these tests.
pub const AGORA: &str = env!("CARGO_BIN_EXE_agora");

/// Runs an `agora` command (not `serve`) against `database_url` and `data_dir`, off the async
/// threads.
pub async fn run_agora(args: &[&str], database_url: &str, data_dir: &Path) -> Output {
    let mut command = Command::new(AGORA);
    command
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("AGORA_DATA_DIR", data_dir)
        .env("AGORA_LOG", "warn");
    tokio::task::spawn_blocking(move || command.output()).await.expect("join").expect("run agora")
}

/// Runs an `agora` command and returns what it printed; panics with it when the command fails.
pub async fn agora(args: &[&str], database_url: &str, data_dir: &Path) -> String {
    let out = run_agora(args, database_url, data_dir).await;
    let text =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "agora {args:?} failed: {text}");
    text
}

/// A free port on loopback (free when asked; the server binds it a moment later).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// One `agora serve` process, killed when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    log: PathBuf,
}

impl Server {
    /// Starts `agora serve` on `database_url` with its data in `data_dir` and waits until it
    /// answers. Client addresses come from `X-Forwarded-For`, so that tests can be many
    /// citizens; `env` adds settings.
    pub async fn start(database_url: &str, data_dir: &Path, env: &[(&str, &str)]) -> Server {
        let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().expect("address");
        std::fs::create_dir_all(data_dir).expect("data dir");
        let log = data_dir.join(format!("server-{}.log", addr.port()));
        let child = Command::new(AGORA)
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("AGORA_DATA_DIR", data_dir)
            .env("LEPTOS_SITE_ADDR", addr.to_string())
            .env("LEPTOS_SITE_ROOT", data_dir.join("site"))
            .env("AGORA_LOG", "warn")
            .env("AGORA_TRUST_PROXY", "1")
            .env_remove("AGORA_SMTP_URL")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log file"))
            .spawn()
            .expect("start agora serve");
        let mut server = Server { child, addr, log };
        let started = Instant::now();
        loop {
            if let Ok(res) = server.get("/healthz").await {
                if res.status == 200 {
                    return server;
                }
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("agora serve exited ({status}): {}", server.log_text());
            }
            assert!(started.elapsed() < Duration::from_secs(60), "agora serve did not answer");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// What the server logged.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Kills the process at once (SIGKILL), as a crash or the OOM killer would.
    pub async fn kill(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub async fn get(&self, path: &str) -> std::io::Result<Wire> {
        request(self.addr, "GET", path, &[], b"").await
    }

    /// Posts a form as `session` from client address `from`.
    pub async fn post_form(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        session: &str,
        from: &str,
    ) -> std::io::Result<Wire> {
        let body = serde_urlencoded::to_string(fields).expect("encode form");
        let cookie = format!("agora_session={session}");
        let headers = [
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", cookie.as_str()),
            ("X-Forwarded-For", from),
        ];
        request(self.addr, "POST", path, &headers, body.as_bytes()).await
    }

    /// Opens a server-sent event stream.
    pub async fn events(&self, path: &str) -> Events {
        let mut stream = TcpStream::connect(self.addr).await.expect("connect");
        let head = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            self.addr
        );
        stream.write_all(head.as_bytes()).await.expect("send");
        Events { stream, raw: Vec::new(), header_done: false, text: String::new() }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A response read off the wire.
#[derive(Debug)]
pub struct Wire {
    pub status: u16,
    pub body: String,
}

impl Wire {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// One HTTP/1.1 request on its own connection.
pub async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Wire> {
    let mut stream = TcpStream::connect(addr).await?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body).await?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await?;
    let invalid =
        |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned());
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(|| invalid("no head"))?;
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| invalid("no status"))?;
    let mut content = raw[split + 4..].to_vec();
    if head.contains("transfer-encoding: chunked") {
        let mut decoded = Vec::new();
        let mut cursor = 0;
        while let Some((size, data)) = next_chunk(&content[cursor..]) {
            if size == 0 {
                break;
            }
            decoded.extend_from_slice(&content[cursor + data..cursor + data + size]);
            cursor += data + size + 2;
        }
        content = decoded;
    }
    Ok(Wire { status, body: String::from_utf8_lossy(&content).into_owned() })
}

/// The size of the chunk at the start of `raw` and where its data starts, once all of it has
/// arrived.
fn next_chunk(raw: &[u8]) -> Option<(usize, usize)> {
    let line_end = raw.windows(2).position(|w| w == b"\r\n")?;
    let size_text = String::from_utf8_lossy(&raw[..line_end]);
    let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
    let data = line_end + 2;
    (raw.len() >= data + size + 2 || size == 0).then_some((size, data))
}

/// A server-sent event stream being read.
pub struct Events {
    stream: TcpStream,
    raw: Vec<u8>,
    header_done: bool,
    /// Decoded event text not yet handed out.
    text: String,
}

impl Events {
    /// The data of the next event named `results`, waiting at most `timeout`.
    pub async fn next_results(&mut self, timeout: Duration) -> Option<serde_json::Value> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(end) = self.text.find("\n\n") {
                let event: String = self.text.drain(..end + 2).collect();
                let named = event.lines().any(|l| l == "event: results");
                let data = event.lines().find_map(|l| l.strip_prefix("data: "));
                if let (true, Some(data)) = (named, data) {
                    return serde_json::from_str(data).ok();
                }
                continue;
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            let mut buf = [0u8; 4096];
            let n = tokio::time::timeout(left, self.stream.read(&mut buf)).await.ok()?.ok()?;
            if n == 0 {
                return None;
            }
            self.raw.extend_from_slice(&buf[..n]);
            self.decode();
        }
    }

    fn decode(&mut self) {
        if !self.header_done {
            let Some(split) = self.raw.windows(4).position(|w| w == b"\r\n\r\n") else { return };
            self.raw.drain(..split + 4);
            self.header_done = true;
        }
        while let Some((size, data)) = next_chunk(&self.raw) {
            if size == 0 {
                self.raw.clear();
                return;
            }
            self.text.push_str(&String::from_utf8_lossy(&self.raw[data..data + size]));
            self.raw.drain(..data + size + 2);
        }
        // Event text arrives with \n line ends; normalise any \r\n.
        self.text = self.text.replace("\r\n", "\n");
    }
}
