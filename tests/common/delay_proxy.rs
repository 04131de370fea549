//! A slow link on loopback: a TCP proxy that delays every chunk by a fixed time each way (150
//! ms each way is a 300 ms round trip), and can hold all traffic until released, so a test
//! can show what the UI does before any answer can possibly arrive.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// A running proxy; stops when dropped.
pub struct DelayProxy {
    pub addr: SocketAddr,
    hold: watch::Sender<bool>,
    /// Chunks from the client that reached the proxy (held or not).
    sent: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl DelayProxy {
    /// Starts a proxy to `upstream` that delays each chunk by `one_way`, holding traffic
    /// from the start when `held`.
    pub async fn start(upstream: SocketAddr, one_way: Duration, held: bool) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let addr = listener.local_addr().expect("proxy addr");
        let (hold, watcher) = watch::channel(held);
        let sent = Arc::new(AtomicUsize::new(0));
        let counter = sent.clone();
        let task = tokio::spawn(async move {
            while let Ok((inbound, _)) = listener.accept().await {
                let (watcher, counter) = (watcher.clone(), counter.clone());
                tokio::spawn(async move {
                    let Ok(outbound) = TcpStream::connect(upstream).await else {
                        return;
                    };
                    let (client_read, client_write) = inbound.into_split();
                    let (server_read, server_write) = outbound.into_split();
                    let up = pipe(
                        client_read,
                        server_write,
                        one_way,
                        watcher.clone(),
                        Some(counter),
                    );
                    let down = pipe(server_read, client_write, one_way, watcher, None);
                    let _ = tokio::join!(up, down);
                });
            }
        });
        Self {
            addr,
            hold,
            sent,
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

    /// Chunks the client has sent so far.
    pub fn chunks_sent(&self) -> usize {
        self.sent.load(Ordering::SeqCst)
    }
}

impl Drop for DelayProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn pipe(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    delay: Duration,
    mut hold: watch::Receiver<bool>,
    counter: Option<Arc<AtomicUsize>>,
) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if let Some(c) = &counter {
            c.fetch_add(1, Ordering::SeqCst);
        }
        if hold.wait_for(|held| !held).await.is_err() {
            break;
        }
        tokio::time::sleep(delay).await;
        if to.write_all(&buf[..n]).await.is_err() {
            break;
        }
    }
    let _ = to.shutdown().await;
}
