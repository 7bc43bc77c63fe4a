//! The outbox goes out over SMTP: a small SMTP sink plays the mail server.

use crate::helpers::{spawn_app, Req};
use server::mailer::Mailer;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A minimal SMTP server on loopback that accepts every message and keeps its data.
pub async fn smtp_sink() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let store = received.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                while let Ok(Some(line)) = lines.next_line().await {
                    let verb =
                        line.split_whitespace().next().unwrap_or_default().to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250-sink\r\n250 OK\r\n",
                        "DATA" => {
                            let _ = write.write_all(b"354 go ahead\r\n").await;
                            let mut data = String::new();
                            while let Ok(Some(l)) = lines.next_line().await {
                                if l == "." {
                                    break;
                                }
                                data.push_str(&l);
                                data.push('\n');
                            }
                            if let Ok(mut r) = store.lock() {
                                r.push(data);
                            }
                            b"250 queued\r\n"
                        }
                        "QUIT" => {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            break;
                        }
                        _ => b"250 OK\r\n",
                    };
                    let _ = write.write_all(reply).await;
                }
            });
        }
    });
    (port, received)
}

/// aiosmtpd (PyPI; `.ci/setup test` installs it in `~/.cache/agora/venv`, or
/// `AGORA_TEST_PYTHON` names a Python that has it): a real SMTP server process on loopback that
/// keeps every message it accepts in a Maildir. Stopped when dropped.
pub struct SmtpServer {
    pub port: u16,
    maildir: tempfile::TempDir,
    process: std::process::Child,
}

impl SmtpServer {
    pub async fn start() -> Self {
        let python = std::env::var_os("AGORA_TEST_PYTHON")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| {
                let home =
                    std::env::var_os("HOME").map(std::path::PathBuf::from).unwrap_or_default();
                home.join(".cache/agora/venv/bin/python")
            });
        let maildir = tempfile::tempdir().expect("a directory");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let process = std::process::Command::new(&python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir.path().join("box"))
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "could not start aiosmtpd with {}: {e}; `.ci/setup test` installs it",
                    python.display()
                )
            });
        let server = Self { port, maildir, process };
        for _ in 0..400 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return server;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("aiosmtpd did not listen on port {port} within 10 s");
    }

    /// Every message the server has stored, as it received it.
    pub fn received(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.maildir.path().join("box/new")) else {
            return Vec::new();
        };
        entries
            .flatten()
            .filter_map(|e| std::fs::read(e.path()).ok())
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

#[tokio::test]
async fn queued_mail_is_delivered_over_smtp_and_marked_sent() {
    let app = spawn_app().await;
    app.send(Req::form("/api/auth/forgot", &[("email", "cetatean@balti.demo"), ("lang", "uk")]))
        .await;
    let (port, received) = smtp_sink().await;
    let mailer =
        Mailer::new(&format!("smtp://127.0.0.1:{port}"), "Agora Bălți <agora@balti.example>")
            .expect("mailer");
    let sent = mailer.send_pending(&app.db).await;
    assert_eq!(sent, 1);
    let data = received.lock().expect("lock").join("\n");
    assert!(data.contains("To: cetatean@balti.demo"), "{data}");
    // The body is base64 (it is UTF-8 text in Ukrainian).
    let encoded: String =
        data.split("\n\n").nth(1).unwrap_or_default().split_whitespace().collect();
    use base64::Engine;
    let body = base64::engine::general_purpose::STANDARD.decode(encoded).expect("base64 body");
    let body = String::from_utf8(body).expect("utf-8");
    assert!(body.contains("https://agora.example/uk/reset?token="), "{body}");
    assert!(body.contains("Добрий день"), "{body}");

    assert_eq!(app.scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").await, 0);
    // Nothing is sent twice.
    assert_eq!(mailer.send_pending(&app.db).await, 0);
}

#[tokio::test]
async fn a_failing_server_leaves_mail_queued_with_the_error() {
    let app = spawn_app().await;
    app.send(Req::form("/api/auth/forgot", &[("email", "cetatean@balti.demo"), ("lang", "ro")]))
        .await;
    // Nothing listens on this port.
    let port =
        TcpListener::bind("127.0.0.1:0").await.expect("bind").local_addr().expect("addr").port();
    let mailer =
        Mailer::new(&format!("smtp://127.0.0.1:{port}"), "agora@balti.example").expect("mailer");
    assert_eq!(mailer.send_pending(&app.db).await, 0);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND attempts = 1 AND last_error IS NOT NULL").await, 1);
}
