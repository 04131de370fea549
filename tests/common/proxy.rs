//! A small recording HTTP proxy: sits between the backend and an emulator (or anything) on
//! 127.0.0.1 and records the Cognito operation (`X-Amz-Target`) of every request, so tests
//! count the calls a lookup really makes on the wire.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Each request's operation and the `UserPoolId` it named.
type PoolLog = Arc<Mutex<Vec<(String, Option<String>)>>>;

/// Operations sent elsewhere than the upstream, and where.
type Routes = Arc<Vec<(String, SocketAddr)>>;

/// A running proxy; stops when dropped.
pub struct RecordingProxy {
    pub addr: SocketAddr,
    log: Arc<Mutex<Vec<String>>>,
    /// When each request arrived, with its operation (never cleared by `take`).
    times: Arc<Mutex<Vec<(Instant, String)>>>,
    /// Each request's operation and the `UserPoolId` it named (never cleared by `take`).
    pools: PoolLog,
    task: tokio::task::JoinHandle<()>,
}

impl RecordingProxy {
    /// Starts a proxy to `upstream` on an ephemeral loopback port.
    pub async fn start(upstream: SocketAddr) -> Self {
        Self::routed(upstream, &[]).await
    }

    /// Starts a proxy to `upstream` that sends the operations in `routes` to their own
    /// address instead: an emulator for what it implements, a stub for what it lacks.
    pub async fn routed(upstream: SocketAddr, routes: &[(&str, SocketAddr)]) -> Self {
        let routes: Routes = Arc::new(routes.iter().map(|(op, a)| (op.to_string(), *a)).collect());
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let addr = listener.local_addr().expect("proxy addr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let times = Arc::new(Mutex::new(Vec::new()));
        let pools = Arc::new(Mutex::new(Vec::new()));
        let (task_log, task_times, task_pools) = (log.clone(), times.clone(), pools.clone());
        let task = tokio::spawn(async move {
            while let Ok((inbound, _)) = listener.accept().await {
                let (log, times, pools) =
                    (task_log.clone(), task_times.clone(), task_pools.clone());
                let routes = routes.clone();
                tokio::spawn(async move {
                    let _ = relay(inbound, (upstream, routes), log, times, pools).await;
                });
            }
        });
        Self {
            addr,
            log,
            times,
            pools,
            task,
        }
    }

    /// The `UserPoolId` of every `operation` request so far, in order ("" when none).
    pub fn pools_of(&self, operation: &str) -> Vec<String> {
        (self.pools.lock().unwrap().iter())
            .filter(|(op, _)| op == operation)
            .map(|(_, pool)| pool.clone().unwrap_or_default())
            .collect()
    }

    /// Arrival times of `operation` requests seen so far, in order.
    pub fn times_of(&self, operation: &str) -> Vec<Instant> {
        let mut t: Vec<Instant> = self
            .times
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, op)| op == operation)
            .map(|(t, _)| *t)
            .collect();
        t.sort();
        t
    }

    /// The most `operation` requests that arrived within any one second since `since`.
    pub fn max_per_second(&self, operation: &str, since: Instant) -> usize {
        let times: Vec<Instant> = self
            .times_of(operation)
            .into_iter()
            .filter(|t| *t >= since)
            .collect();
        times
            .iter()
            .enumerate()
            .map(|(i, &start)| {
                times[i..]
                    .iter()
                    .take_while(|&&t| t < start + std::time::Duration::from_secs(1))
                    .count()
            })
            .max()
            .unwrap_or(0)
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Operations seen since the last `take`, e.g. `["AdminGetUser", "ListUsers"]`.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.log.lock().unwrap())
    }

    /// Operations seen so far, without clearing.
    pub fn seen(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for RecordingProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads an HTTP/1.1 message head and returns (head, rest-of-buffer).
async fn read_head(stream: &mut TcpStream) -> std::io::Result<Option<(String, Vec<u8>)>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..pos + 4]).into_owned();
            return Ok(Some((head, buf[pos + 4..].to_vec())));
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|line| {
        let (k, v) = line.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// Rewrites a head so the connection closes after this message.
fn with_connection_close(head: &str) -> String {
    let mut out = String::new();
    for line in head.split("\r\n").filter(|l| !l.is_empty()) {
        if line
            .split_once(':')
            .is_some_and(|(k, _)| k.trim().eq_ignore_ascii_case("connection"))
        {
            continue;
        }
        out.push_str(line);
        out.push_str("\r\n");
    }
    out.push_str("Connection: close\r\n\r\n");
    out
}

async fn relay(
    mut inbound: TcpStream,
    (upstream, routes): (SocketAddr, Routes),
    log: Arc<Mutex<Vec<String>>>,
    times: Arc<Mutex<Vec<(Instant, String)>>>,
    pools: PoolLog,
) -> std::io::Result<()> {
    let Some((head, mut body)) = read_head(&mut inbound).await? else {
        return Ok(());
    };
    let length: usize = header(&head, "content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while body.len() < length {
        let mut chunk = vec![0u8; length - body.len()];
        let n = inbound.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let operation = header(&head, "x-amz-target")
        .map(|t| t.rsplit('.').next().unwrap_or(t).to_string())
        .unwrap_or_else(|| "(no X-Amz-Target)".into());
    times
        .lock()
        .unwrap()
        .push((Instant::now(), operation.clone()));
    let pool = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.get("UserPoolId")?.as_str().map(str::to_string));
    pools.lock().unwrap().push((operation.clone(), pool));
    log.lock().unwrap().push(operation.clone());

    let upstream = (routes.iter())
        .find(|(op, _)| *op == operation)
        .map_or(upstream, |(_, addr)| *addr);
    let mut outbound = TcpStream::connect(upstream).await?;
    outbound
        .write_all(with_connection_close(&head).as_bytes())
        .await?;
    outbound.write_all(&body).await?;
    let Some((response_head, mut response)) = read_head(&mut outbound).await? else {
        return Ok(());
    };
    outbound.read_to_end(&mut response).await?;
    inbound
        .write_all(with_connection_close(&response_head).as_bytes())
        .await?;
    inbound.write_all(&response).await?;
    inbound.shutdown().await
}
