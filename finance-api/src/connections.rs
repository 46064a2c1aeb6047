//! The accept loop, in place of `warp::serve`, which has no limits: every connection is
//! watched for a client that starts a request and is slow to send its headers, or that
//! keeps a connection open with nothing in flight; and at most so many are open at once.
//! Each limit is logged when it acts.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use finance_core::config::Config;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::time::Instant;
use warp::http::{Request, Response};

/// The client's address, put on every request (warp's own is private to `warp::serve`).
#[derive(Debug, Clone, Copy)]
pub struct PeerAddr(pub SocketAddr);

/// How long and how many connections may stay open.
#[derive(Debug, Clone)]
pub struct Limits {
    /// From a request's first byte (or the connection's opening) to its last header
    /// (`FINANCE_HEADER_READ_TIMEOUT`).
    pub header_read_timeout: Duration,
    /// Open with no request in flight and nothing sent either way (`FINANCE_IDLE_TIMEOUT`).
    pub idle_timeout: Duration,
    /// Open connections at most (`FINANCE_MAX_CONNECTIONS`).
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self::from_config(&Config::embedded(std::path::Path::new(".")))
    }
}

impl Limits {
    pub fn from_config(config: &Config) -> Self {
        Self {
            header_read_timeout: config.header_read_timeout,
            idle_timeout: config.idle_timeout,
            max_connections: config.max_connections,
        }
    }
}

/// Serves `service` on `listener` within `limits` until `shutdown` resolves, then lets
/// the requests in flight end.
pub async fn serve<S, B>(
    service: S,
    listener: TcpListener,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) where
    S: tower_service::Service<Request<Incoming>, Response = Response<B>, Error = Infallible>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
    B: hyper::body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let mut shutdown = std::pin::pin!(shutdown);
    let mut full = false;
    loop {
        // A slot first: past the cap, new connections wait in the kernel's listen queue
        // rather than each taking a file and a task.
        let slot = match slots.clone().try_acquire_owned() {
            Ok(slot) => slot,
            Err(_) => {
                if !full {
                    full = true;
                    tracing::warn!(
                        max = limits.max_connections,
                        "connection limit reached; new connections wait until one closes"
                    );
                }
                tokio::select! {
                    slot = slots.clone().acquire_owned() => match slot {
                        Ok(slot) => slot,
                        Err(_) => break,
                    },
                    () = &mut shutdown => break,
                }
            }
        };
        if full && slots.available_permits() > limits.max_connections / 10 {
            full = false;
        }
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let watch = Arc::new(Watch::new());
        let io = TokioIo::new(Watched {
            inner: stream,
            watch: watch.clone(),
        });
        let service = Counted {
            inner: service.clone(),
            watch: watch.clone(),
            peer,
        };
        let watcher = graceful.watcher();
        let limits = limits.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let builder = auto::Builder::new(TokioExecutor::new());
            let conn = builder.serve_connection_with_upgrades(
                io,
                hyper_util::service::TowerToHyperService::new(service),
            );
            let conn = watcher.watch(conn);
            tokio::select! {
                done = conn => {
                    if let Err(e) = done {
                        tracing::debug!(error = %e, %peer, "connection ended with an error");
                    }
                }
                reason = watch.expired(&limits) => {
                    tracing::info!(%peer, reason, "closed a connection");
                    crate::metrics::record_connection_closed(reason);
                }
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

/// What the limits look at, shared by a connection's socket, its requests and its
/// watchdog. Times are milliseconds since the connection opened.
struct Watch {
    opened: Instant,
    /// Last byte read or written.
    last: AtomicU64,
    /// First byte of a request whose headers are not all in yet, plus one (0: none). A
    /// new connection counts from its opening: silent, it is a slow first request.
    head_since: AtomicU64,
    in_flight: AtomicUsize,
}

impl Watch {
    fn new() -> Self {
        Self {
            opened: Instant::now(),
            last: AtomicU64::new(0),
            head_since: AtomicU64::new(1),
            in_flight: AtomicUsize::new(0),
        }
    }

    fn now(&self) -> u64 {
        self.opened.elapsed().as_millis() as u64
    }

    fn touched(&self) {
        self.last.store(self.now(), Ordering::Relaxed);
    }

    fn read_some(&self) {
        let now = self.now();
        self.last.store(now, Ordering::Relaxed);
        if self.in_flight.load(Ordering::Relaxed) == 0 {
            let _ =
                self.head_since
                    .compare_exchange(0, now + 1, Ordering::Relaxed, Ordering::Relaxed);
        }
    }

    /// Waits until a limit is passed, and says which.
    async fn expired(&self, limits: &Limits) -> &'static str {
        let header = limits.header_read_timeout.as_millis() as u64;
        let idle = limits.idle_timeout.as_millis() as u64;
        loop {
            let now = self.now();
            let (deadline, reason) = if self.in_flight.load(Ordering::Relaxed) > 0 {
                // A request's own time is bounded by the request timeout, not here.
                (now + idle, None)
            } else {
                match self.head_since.load(Ordering::Relaxed) {
                    0 => (self.last.load(Ordering::Relaxed) + idle, Some("idle")),
                    since => (since - 1 + header, Some("headers not sent in time")),
                }
            };
            match reason {
                Some(reason) if deadline <= now => return reason,
                _ => {
                    let wait = Duration::from_millis(deadline.saturating_sub(now).max(1));
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }
}

/// The socket, noting when bytes go either way.
struct Watched {
    inner: TcpStream,
    watch: Arc<Watch>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.watch.read_some();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, data);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.watch.touched();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.watch.touched();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The routes, counting the connection's requests in flight.
#[derive(Clone)]
struct Counted<S> {
    inner: S,
    watch: Arc<Watch>,
    peer: SocketAddr,
}

/// One request in flight, until its answer is ready or it is dropped.
struct InFlight(Arc<Watch>);

impl InFlight {
    fn new(watch: Arc<Watch>) -> Self {
        watch.in_flight.fetch_add(1, Ordering::Relaxed);
        watch.head_since.store(0, Ordering::Relaxed);
        Self(watch)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.touched();
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

type Answer<R> = Pin<Box<dyn Future<Output = Result<R, Infallible>> + Send>>;

impl<S> tower_service::Service<Request<Incoming>> for Counted<S>
where
    S: tower_service::Service<Request<Incoming>, Error = Infallible>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = Infallible;
    type Future = Answer<S::Response>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request<Incoming>) -> Self::Future {
        let guard = InFlight::new(self.watch.clone());
        req.extensions_mut().insert(PeerAddr(self.peer));
        let answer = self.inner.call(req);
        Box::pin(async move {
            let _guard = guard;
            answer.await
        })
    }
}

/// An accept that failed: a connection reset before it was taken is nothing; anything
/// else (out of files, say) is logged and the loop pauses a moment for things to free up.
async fn accept_failed(e: io::Error) {
    if matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %e, "accepting a connection failed");
    tokio::time::sleep(Duration::from_millis(100)).await;
}
