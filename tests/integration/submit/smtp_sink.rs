//! A tiny SMTP server on 127.0.0.1 that accepts every message and records it (envelope and
//! data), for the SACEM and SACD attachments e-mail tests; it can refuse senders for a while.
//! It speaks the commands lettre uses: EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Clone, Debug, Default)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

pub type Inbox = Arc<Mutex<Vec<Received>>>;

/// Starts the sink on the runtime; gives its port and its inbox.
pub async fn start() -> (u16, Inbox) {
    start_refusing(Arc::default()).await
}

/// The same sink, answering `451` (try again later) to every sender while `refuse` is set —
/// a relay briefly unavailable.
pub async fn start_refusing(refuse: Arc<AtomicBool>) -> (u16, Inbox) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let inbox: Inbox = Arc::default();
    let shared = inbox.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let inbox = shared.clone();
            let refuse = refuse.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read);
                let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                let mut current = Received::default();
                let mut line = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250 sink\r\n"
                    } else if upper.starts_with("MAIL FROM:") {
                        current.from = line[10..].trim().to_string();
                        if refuse.load(Ordering::SeqCst) {
                            b"451 4.3.0 try again later\r\n"
                        } else {
                            b"250 OK\r\n"
                        }
                    } else if upper.starts_with("RCPT TO:") {
                        current.to.push(line[8..].trim().to_string());
                        b"250 OK\r\n"
                    } else if upper.starts_with("DATA") {
                        let _ = write.write_all(b"354 go ahead\r\n").await;
                        let mut data = String::new();
                        loop {
                            line.clear();
                            if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                                return;
                            }
                            if line == ".\r\n" {
                                break;
                            }
                            data.push_str(&line);
                        }
                        current.data = data;
                        inbox.lock().unwrap().push(std::mem::take(&mut current));
                        b"250 queued as 1\r\n"
                    } else if upper.starts_with("QUIT") {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        return;
                    } else {
                        b"250 OK\r\n"
                    };
                    if write.write_all(reply).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (port, inbox)
}
