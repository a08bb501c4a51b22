//! The HTTP server of `qpr serve`: its own accept loop over hyper's HTTP/1 connections, so
//! that every connection is bounded in time and their number below the file limit (issue 12,
//! finding 3: half-sent requests held sockets forever until the process ran out of file
//! descriptors, and the search index follower with it).
//!
//! - **Headers** must arrive within `header_timeout` (hyper's `header_read_timeout`). Hyper
//!   starts that timer whenever a connection waits for a request, so a kept-alive connection
//!   with no next request is closed by it too.
//! - **Request bodies** must keep up a minimum average rate: the body's deadline is
//!   `body_timeout` after its headers plus one second per [`MIN_BODY_RATE`] bytes received so
//!   far ([`MinRateBody`]). A trickle of bytes cannot hold a connection (each byte buys half a
//!   millisecond), while a 20 MB annex uploaded over a very slow link (8 kbit/s) still gets
//!   through: a fixed deadline would have cut exactly the ministries on slow connections.
//!   Responses have no deadline: a long CSV download streams as long as the client reads it.
//! - **Idle**: a connection on which nothing was read or written for `idle_timeout` is closed
//!   (a client that stops reading a download, a request that never completes).
//! - **How many**: at most `max_connections` at once, and never more than the process's limit
//!   of open files ([`RLIMIT_NOFILE`](rustix::process::Resource::Nofile)) less
//!   [`FILE_RESERVE`] kept for the database, the search index, the mail outbox and logs. When
//!   all are taken the loop stops accepting: new connections wait in the kernel's listen
//!   queue (holding no descriptor of the process) and are served, `/healthz` included, as
//!   slots free up, which the timeouts above guarantee.
//! - **Stopping** (SIGTERM, as systemd and a rolling restart send it, or Ctrl-C): the loop
//!   accepts the connections already waiting in the kernel's queue, closes the listening
//!   socket (new connections are refused, so a load balancer tries another server), and
//!   drains: every request already sent is served, its response carrying `Connection:
//!   close`; connections waiting between two requests are closed; the process ends when none
//!   is left, or after `drain_timeout`. A connection that has not yet sent its first request
//!   is left to send it (nginx sends its request right after connecting, and closing such a
//!   connection would fail a request it had already written).

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use anyhow::Context as _;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::{Body as _, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::time::Instant;

/// The slowest average rate at which a request body is still read, in bytes per second
/// (8 kbit/s, below any link that carries a web page): see [`MinRateBody`].
pub(crate) const MIN_BODY_RATE: u64 = 1024;

/// File descriptors kept out of the connections' reach: the database (SQLite: a file, its WAL
/// and shared memory per pooled connection), the search index (segment files, the writer's
/// lock, merges), the mail outbox, the signing key, logs. A server at rest holds about 20.
pub(crate) const FILE_RESERVE: u64 = 128;

/// The fewest connections served, however low the file limit (a server that serves nothing
/// protects nothing).
const MIN_CONNECTIONS: usize = 8;

/// The time limits and the number of connections of the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    /// Time to send a request's headers (from the moment the connection waits for them).
    pub header_timeout: Duration,
    /// Time to send a request's body, from its headers, before [`MIN_BODY_RATE`] adds time
    /// for each byte received.
    pub body_timeout: Duration,
    /// A connection on which nothing moved for this long is closed.
    pub idle_timeout: Duration,
    /// Connections served at once, at most (also kept below the file limit).
    pub max_connections: usize,
    /// After SIGTERM or Ctrl-C, how long the requests in flight may take to finish.
    pub drain_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(60),
            idle_timeout: Duration::from_secs(60),
            max_connections: 1024,
            drain_timeout: Duration::from_secs(30),
        }
    }
}

/// The number of connections served at once: `max_connections`, lowered to the soft limit of
/// open files less [`FILE_RESERVE`]; with that limit, when there is one.
pub(crate) fn connection_cap(max_connections: usize) -> (usize, Option<u64>) {
    let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile).current;
    let by_files = limit.map(|limit| usize::try_from(limit.saturating_sub(FILE_RESERVE)).unwrap_or(usize::MAX));
    let cap = by_files.map_or(max_connections, |by_files| max_connections.min(by_files)).max(MIN_CONNECTIONS);
    (cap, limit)
}

/// Resolves when the process is asked to stop: SIGTERM or Ctrl-C (SIGINT).
async fn stop_requested() -> anyhow::Result<&'static str> {
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .context("cannot listen for SIGTERM")?;
    tokio::select! {
        _ = terminate.recv() => Ok("SIGTERM"),
        interrupted = tokio::signal::ctrl_c() => interrupted.map(|()| "Ctrl-C").context("cannot listen for Ctrl-C"),
    }
}

/// Serves `router` on `listener` until SIGTERM or Ctrl-C, within `limits`, then drains the
/// requests in flight (see the module's documentation).
pub(crate) async fn serve(listener: TcpListener, router: axum::Router, limits: Limits) -> anyhow::Result<()> {
    let (cap, file_limit) = connection_cap(limits.max_connections);
    let file_limit = file_limit.map_or_else(|| "none".to_owned(), |limit| limit.to_string());
    tracing::info!(
        "At most {cap} connections at once (max_connections {}, open file limit {file_limit}); headers within {:?}, bodies within {:?}, idle {:?}",
        limits.max_connections,
        limits.header_timeout,
        limits.body_timeout,
        limits.idle_timeout,
    );
    let slots = Arc::new(Semaphore::new(cap));
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
    let (draining, drain) = watch::channel(false);
    let mut stop = std::pin::pin!(stop_requested());
    let signal = loop {
        // Wait for a free slot before accepting: meanwhile new connections queue in the kernel.
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => slot.context("the connection slots were closed")?,
            signal = &mut stop => break signal?,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    accept_failed(&error).await;
                    continue;
                }
            },
            signal = &mut stop => break signal?,
        };
        tokio::spawn(connection(http.clone(), router.clone(), (stream, peer), limits, slot, drain.clone()));
    };
    // Connections the kernel completed before the signal would be reset when the socket
    // closes, failing requests their clients already sent: accept them, in draining mode.
    let _ = draining.send(true);
    while let Ok(slot) = Arc::clone(&slots).try_acquire_owned() {
        match tokio::time::timeout(Duration::ZERO, listener.accept()).await {
            Ok(Ok(accepted)) => {
                tokio::spawn(connection(http.clone(), router.clone(), accepted, limits, slot, drain.clone()));
            }
            Ok(Err(_)) | Err(_) => break,
        }
    }
    drop(listener);
    let in_flight = cap - slots.available_permits();
    tracing::info!(
        "{signal}: no new connections; waiting for {in_flight} open connections (at most {:?})",
        limits.drain_timeout
    );
    let all = u32::try_from(cap).unwrap_or(u32::MAX);
    match tokio::time::timeout(limits.drain_timeout, slots.acquire_many(all)).await {
        Ok(_) => tracing::info!("Every request in flight was answered; stopping"),
        Err(_) => tracing::warn!(
            "Stopping with {} connections still open after {:?}",
            cap - slots.available_permits(),
            limits.drain_timeout
        ),
    }
    Ok(())
}

/// An error of `accept`: one connection's (reset before it was accepted), nothing to do;
/// the process's (out of descriptors), logged, and a pause so the loop does not spin.
async fn accept_failed(error: &std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if !matches!(error.kind(), ConnectionAborted | ConnectionRefused | ConnectionReset) {
        tracing::warn!(error = %error, "Cannot accept a connection: {error}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Serves one connection within the limits; its slot is given back when it ends. Once
/// `drain` turns true, responses carry `Connection: close` and the connection is closed as
/// soon as it waits between two requests.
async fn connection(
    http: http1::Builder,
    router: axum::Router,
    (stream, peer): (TcpStream, SocketAddr),
    limits: Limits,
    _slot: OwnedSemaphorePermit,
    mut drain: watch::Receiver<bool>,
) {
    let activity = Arc::new(Activity::default());
    let requests = Arc::new(Requests::default());
    let io = TokioIo::new(Watched { inner: stream, activity: Arc::clone(&activity) });
    let app = TowerToHyperService::new(router);
    let (counted, draining) = (Arc::clone(&requests), drain.clone());
    let service = service_fn(move |request: hyper::Request<Incoming>| {
        let mut request = request.map(|body| {
            if body.is_end_stream() { Body::new(body) } else { Body::new(MinRateBody::new(body, limits.body_timeout)) }
        });
        request.extensions_mut().insert(ConnectInfo(peer));
        counted.started.fetch_add(1, Ordering::SeqCst);
        let (counted, draining) = (Arc::clone(&counted), draining.clone());
        let answer = hyper::service::Service::call(&app, request);
        async move {
            let mut response = answer.await;
            if *draining.borrow()
                && let Ok(response) = response.as_mut()
            {
                response
                    .headers_mut()
                    .insert(hyper::header::CONNECTION, hyper::header::HeaderValue::from_static("close"));
            }
            counted.answered.fetch_add(1, Ordering::SeqCst);
            response
        }
    });
    let mut served = std::pin::pin!(http.serve_connection(io, service));
    let idle = activity.idle_for(limits.idle_timeout);
    let mut idle = std::pin::pin!(idle);
    let mut drained = false;
    loop {
        tokio::select! {
            result = served.as_mut() => {
                if let Err(error) = result {
                    tracing::debug!(error = %error, %peer, "Connection ended: {error}");
                }
                return;
            }
            () = idle.as_mut() => {
                tracing::debug!(%peer, "Closed a connection idle for {:?}", limits.idle_timeout);
                return;
            }
            _ = drain.wait_for(|draining| *draining), if !drained => {
                drained = true;
                // Between two requests: close now. Before its first request, or during one:
                // the response says `Connection: close`.
                if requests.between_requests() {
                    served.as_mut().graceful_shutdown();
                }
            }
        }
    }
}

/// The requests of one connection: started and answered (response headers produced).
#[derive(Debug, Default)]
struct Requests {
    started: AtomicU64,
    answered: AtomicU64,
}

impl Requests {
    /// At least one request answered and none under way: the connection waits for the next.
    fn between_requests(&self) -> bool {
        let answered = self.answered.load(Ordering::SeqCst);
        answered > 0 && self.started.load(Ordering::SeqCst) == answered
    }
}

/// A request body that must arrive at [`MIN_BODY_RATE`] on average after a first allowance:
/// its deadline is `allowance` after the headers plus one second per `MIN_BODY_RATE` bytes
/// received; past it, reading the body fails (the handler answers with an error and the
/// connection ends).
struct MinRateBody<B> {
    inner: B,
    started: Instant,
    allowance: Duration,
    received: u64,
    deadline: Pin<Box<tokio::time::Sleep>>,
}

impl<B> MinRateBody<B> {
    fn new(inner: B, allowance: Duration) -> MinRateBody<B> {
        let started = Instant::now();
        MinRateBody {
            inner,
            started,
            allowance,
            received: 0,
            deadline: Box::pin(tokio::time::sleep_until(started + allowance)),
        }
    }
}

impl<B> hyper::body::Body for MinRateBody<B>
where
    B: hyper::body::Body<Data = axum::body::Bytes> + Unpin,
    B::Error: Into<axum::BoxError>,
{
    type Data = axum::body::Bytes;
    type Error = axum::BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<hyper::body::Frame<Self::Data>, Self::Error>>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    this.received = this.received.saturating_add(u64::try_from(data.len()).unwrap_or(u64::MAX));
                    let earned = Duration::from_millis(this.received.saturating_mul(1000) / MIN_BODY_RATE);
                    this.deadline.as_mut().reset(this.started + this.allowance + earned);
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(error))) => Poll::Ready(Some(Err(error.into()))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => match this.deadline.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Some(Err(format!(
                    "the request body came slower than {MIN_BODY_RATE} bytes a second"
                )
                .into()))),
                Poll::Pending => Poll::Pending,
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.inner.size_hint()
    }
}

/// When a connection last read or wrote something.
#[derive(Debug)]
struct Activity {
    opened: Instant,
    /// Milliseconds from `opened` to the last read or write.
    last: AtomicU64,
}

impl Default for Activity {
    fn default() -> Activity {
        Activity { opened: Instant::now(), last: AtomicU64::new(0) }
    }
}

impl Activity {
    fn touch(&self) {
        let millis = u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last.store(millis, Ordering::Relaxed);
    }

    /// Ends once nothing was read or written for `timeout`.
    async fn idle_for(&self, timeout: Duration) {
        loop {
            let deadline = self.opened + Duration::from_millis(self.last.load(Ordering::Relaxed)) + timeout;
            if Instant::now() >= deadline {
                return;
            }
            tokio::time::sleep_until(deadline).await;
        }
    }
}

/// A TCP stream that records its reads and writes in an [`Activity`].
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.touch();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(written)) if written > 0) {
            self.activity.touch();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(written)) if written > 0) {
            self.activity.touch();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_stays_below_the_file_limit() {
        let (cap, limit) = connection_cap(usize::MAX);
        let limit = limit.expect("Linux has a file limit");
        assert_eq!(cap as u64, limit.saturating_sub(FILE_RESERVE).max(MIN_CONNECTIONS as u64));
        assert_eq!(connection_cap(10).0, 10.min(cap));
        assert_eq!(connection_cap(1).0, MIN_CONNECTIONS);
    }

    #[tokio::test]
    async fn an_idle_connection_ends_after_the_timeout_counted_from_its_last_activity() {
        let activity = Activity::default();
        tokio::time::sleep(Duration::from_millis(300)).await;
        activity.touch();
        let started = Instant::now();
        activity.idle_for(Duration::from_millis(400)).await;
        let waited = started.elapsed();
        assert!(waited >= Duration::from_millis(390) && waited < Duration::from_millis(1000), "{waited:?}");
    }
}
