//! A slow link on loopback: a TCP proxy that delays every chunk by a fixed time each way (150
//! ms each way is a 300 ms round trip), and can hold all traffic until released, so a test
//! can show what the UI does before any answer can possibly arrive. It notes the Cognito
//! operation of each request that reaches it (held or not) and counts the chunks it has
//! delivered back to the client.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// What went through the proxy.
#[derive(Default)]
struct Traffic {
    /// The operation (`X-Amz-Target` without its service prefix) of each request chunk that
    /// names one, in arrival order, held or not.
    operations: Mutex<Vec<String>>,
    /// Chunks written back to the client.
    delivered: AtomicUsize,
}

/// A running proxy; stops when dropped.
pub struct DelayProxy {
    pub addr: SocketAddr,
    hold: watch::Sender<bool>,
    traffic: Arc<Traffic>,
    task: tokio::task::JoinHandle<()>,
}

impl DelayProxy {
    /// Starts a proxy to `upstream` that delays each chunk by `one_way`, holding traffic
    /// from the start when `held`.
    pub async fn start(upstream: SocketAddr, one_way: Duration, held: bool) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let addr = listener.local_addr().expect("proxy addr");
        let (hold, watcher) = watch::channel(held);
        let traffic = Arc::new(Traffic::default());
        let seen = traffic.clone();
        let task = tokio::spawn(async move {
            while let Ok((inbound, _)) = listener.accept().await {
                let (watcher, seen) = (watcher.clone(), seen.clone());
                tokio::spawn(async move {
                    let Ok(outbound) = TcpStream::connect(upstream).await else {
                        return;
                    };
                    let (client_read, client_write) = inbound.into_split();
                    let (server_read, server_write) = outbound.into_split();
                    let link = Link {
                        delay: one_way,
                        hold: watcher,
                    };
                    let up = link.pipe(
                        client_read,
                        server_write,
                        |chunk| seen.note_request(chunk),
                        || {},
                    );
                    let down = link.pipe(
                        server_read,
                        client_write,
                        |_| {},
                        || {
                            seen.delivered.fetch_add(1, Ordering::SeqCst);
                        },
                    );
                    let _ = tokio::join!(up, down);
                });
            }
        });
        Self {
            addr,
            hold,
            traffic,
            task,
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Lets held traffic through (each chunk still delayed).
    pub fn release(&self) {
        let _ = self.hold.send(false);
    }

    /// The operations of the requests that reached the proxy so far (held or not).
    pub fn operations(&self) -> Vec<String> {
        self.traffic.operations.lock().unwrap().clone()
    }

    /// Chunks delivered back to the client so far.
    pub fn delivered(&self) -> usize {
        self.traffic.delivered.load(Ordering::SeqCst)
    }
}

impl Traffic {
    /// Notes the operation a request chunk names, if it names one.
    fn note_request(&self, chunk: &[u8]) {
        let text = String::from_utf8_lossy(chunk).to_ascii_lowercase();
        let Some(at) = text.find("x-amz-target:") else {
            return;
        };
        let value = text[at + "x-amz-target:".len()..]
            .lines()
            .next()
            .unwrap_or("");
        let op = value.trim().rsplit('.').next().unwrap_or("").to_string();
        self.operations.lock().unwrap().push(op);
    }
}

impl Drop for DelayProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The link's delay and hold, shared by both directions of a connection.
struct Link {
    delay: Duration,
    hold: watch::Receiver<bool>,
}

impl Link {
    /// Copies `from` to `to`, each chunk after the hold and the delay; `on_arrival` sees each
    /// chunk as it arrives (held or not), `on_delivery` runs after each is written on.
    async fn pipe(
        &self,
        mut from: tokio::net::tcp::OwnedReadHalf,
        mut to: tokio::net::tcp::OwnedWriteHalf,
        on_arrival: impl Fn(&[u8]),
        on_delivery: impl Fn(),
    ) {
        let mut hold = self.hold.clone();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match from.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            on_arrival(&buf[..n]);
            if hold.wait_for(|held| !held).await.is_err() {
                break;
            }
            tokio::time::sleep(self.delay).await;
            if to.write_all(&buf[..n]).await.is_err() {
                break;
            }
            on_delivery();
        }
        let _ = to.shutdown().await;
    }
}
