//! Serving: a worker per core, each with its own event loop and listening socket
//! ([`serve_workers`], what `socialhub serve` runs), or one server on the caller's runtime
//! ([`serve`], for tests); and stopping on SIGTERM or Ctrl-C without failing a request the
//! server has accepted.
//!
//! Stopping, worker by worker, on the signal:
//! - every answer from then on carries `Connection: close`, so each open connection ends
//!   after the answer to its next request, instead of being closed under a request on its
//!   way;
//! - the listening socket lets no new connection in (a filter drops its first packet: the
//!   client sends it again a second later and is refused), accepts for [`HANDSHAKE_GRACE`]
//!   the connections whose handshake had begun, then takes every connection still waiting
//!   in the kernel's queue and only then closes: closing it with connections in its queue
//!   resets them, though their clients had connected and sent their requests;
//! - connections still open and idle after [`IDLE_GRACE`] are closed, and the worker stops
//!   once the requests under way have been answered.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context as TaskContext, Poll};
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::serve::ListenerExt;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};

use super::AppState;

/// How long a stopping worker leaves connections open that have sent no request since the
/// signal (a browser's or a proxy's idle keep-alive connection) before it closes them.
pub const IDLE_GRACE: Duration = Duration::from_secs(2);

/// Serves `app` on `listener` until SIGTERM or Ctrl-C, then finishes the requests under
/// way and returns. Runs on the caller's runtime (tests run several servers in one).
///
/// # Errors
/// The listener fails.
pub async fn serve(listener: tokio::net::TcpListener, app: Router) -> anyhow::Result<()> {
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("server error")
}

/// Listening sockets on `addr` for [`serve_workers`], one per worker, each with room for a
/// burst of new connections (a backlog of 1,024, as tokio's own `bind`). Call it on a
/// runtime.
///
/// On Linux every worker has a socket of its own on the same port (`SO_REUSEPORT`), and
/// the kernel spreads new connections evenly between them; a single shared socket let
/// whichever thread woke first take them all (seen: all 64 of a benchmark's connections
/// on one of two threads, the other idle). An address already in use is refused as a
/// plain bind would refuse it, so a second server cannot join the port by mistake.
///
/// # Errors
/// The address is taken or not ours.
pub fn listen(addr: SocketAddr, workers: usize) -> std::io::Result<Vec<std::net::TcpListener>> {
    let socket = || if addr.is_ipv4() { tokio::net::TcpSocket::new_v4() } else { tokio::net::TcpSocket::new_v6() };
    let probe = std::net::TcpListener::bind(addr)?;
    if cfg!(target_os = "linux") {
        // The port the probe got (for port 0), then the workers' sockets share it.
        let addr = probe.local_addr()?;
        drop(probe);
        (0..workers.max(1))
            .map(|_| {
                let s = socket()?;
                s.set_reuseaddr(true)?;
                #[cfg(target_os = "linux")]
                s.set_reuseport(true)?;
                s.bind(addr)?;
                s.listen(1024)?.into_std()
            })
            .collect()
    } else {
        drop(probe);
        let s = socket()?;
        s.set_reuseaddr(true)?;
        s.bind(addr)?;
        let shared = s.listen(1024)?.into_std()?;
        (0..workers.max(1)).map(|_| shared.try_clone()).collect()
    }
}

/// Serves the application from one thread per listener of [`listen`], each with an event
/// loop of its own that accepts connections and answers their requests itself, the way
/// nginx runs a worker per core. A request never moves between threads: with tokio's
/// work-stealing scheduler, waking the other thread cost about a third of the throughput
/// on two cores (see `docs/performance.md`). Each worker builds its own application with
/// `app` from its own state ([`AppState::for_worker`], made on the worker's event loop: on
/// PostgreSQL a pool of its own). Background work (reminders, housekeeping) stays on the
/// caller's runtime with `state`.
///
/// On SIGTERM or Ctrl-C (or when this future is dropped) every worker stops as the module
/// documentation describes, then this returns.
///
/// # Errors
/// A worker cannot start (PostgreSQL cannot be reached), or its listener fails.
pub async fn serve_workers(
    listeners: Vec<std::net::TcpListener>,
    state: AppState,
    app: fn(AppState) -> Router,
) -> anyhow::Result<()> {
    // Listening for the signal from the start: SIGTERM's default would end the process.
    let signal = shutdown_signal();
    let (stop, stopped) = watch::channel(false);
    let (done, mut finished) = mpsc::unbounded_channel::<anyhow::Result<()>>();
    let workers = listeners.len();
    let mut threads = Vec::new();
    for (n, listener) in listeners.into_iter().enumerate() {
        listener.set_nonblocking(true).context("cannot make the listener non-blocking")?;
        let (state, stopped, done) = (state.clone(), stopped.clone(), done.clone());
        let worker = move || {
            let served = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .context("cannot start a worker's event loop")
                .and_then(|runtime| {
                    runtime.block_on(async move {
                        let state = state.for_worker(workers).await?;
                        let served = serve_worker(listener, app(state.clone()), stopped).await;
                        state.db.close_worker().await;
                        served
                    })
                });
            let _ = done.send(served);
        };
        threads.push(std::thread::Builder::new().name(format!("http-{n}")).spawn(worker)?);
    }
    drop(done);
    // Until a signal, or until a worker stops by itself (an error: the others stop too).
    let early = tokio::select! {
        () = signal => None,
        result = finished.recv() => result,
    };
    let _ = stop.send(true);
    let mut outcome = early.unwrap_or(Ok(()));
    while let Some(result) = finished.recv().await {
        outcome = outcome.and(result);
    }
    for thread in threads {
        if thread.join().is_err() {
            outcome = outcome.and(Err(anyhow::anyhow!("a server worker panicked")));
        }
    }
    outcome
}

/// One worker's server, on its own event loop, until `stopped` turns true (or its sender
/// is dropped).
async fn serve_worker(
    listener: std::net::TcpListener,
    app: Router,
    mut stopped: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    let closing = Arc::new(AtomicBool::new(false));
    // Nothing is sent on it: the listener holds a sender until it has closed, and every
    // connection one while it is open, so the receiver learns when all are gone.
    let (open, mut all_closed) = mpsc::channel::<()>(1);
    let addr = listener.local_addr()?;
    let listener = Draining {
        listener: Some(tokio::net::TcpListener::from_std(listener)?),
        addr,
        close_at: None,
        queued: VecDeque::new(),
        stopped: stopped.clone(),
        closing: Arc::clone(&closing),
        open: Some(open),
    };
    // Once stopping, every answer says the connection closes after it. Wrapped around the
    // whole router (a layer on the router would box every route again).
    let app = tower::ServiceBuilder::new()
        .map_response(move |mut res: Response| {
            if closing.load(Ordering::Relaxed) {
                res.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
            }
            res
        })
        .service(app);
    let make_service = axum::ServiceExt::<Request>::into_make_service_with_connect_info::<SocketAddr>(app);
    // axum hands the client's address to its own listeners and to tapped ones.
    axum::serve(listener.tap_io(|_| {}), make_service)
        .with_graceful_shutdown(async move {
            until_stopped(&mut stopped).await;
            // The listener lets no new connection in from the same signal on, and closes
            // `HANDSHAKE_GRACE` later. Once every connection has ended (or after
            // `IDLE_GRACE`, longer), axum closes what is still open and idle, and waits for
            // the answers under way.
            tokio::select! {
                _ = all_closed.recv() => {}
                () = tokio::time::sleep(IDLE_GRACE) => {}
            }
        })
        .await
        .context("server error")
}

/// A worker's listening socket that, told to stop, lets no new connection in, keeps
/// accepting those whose handshake was under way for [`HANDSHAKE_GRACE`], then takes every
/// connection still waiting in the kernel's queue and closes, handing all of them to the
/// server as it would any.
struct Draining {
    /// `None` once closed.
    listener: Option<tokio::net::TcpListener>,
    addr: SocketAddr,
    /// When stopping: when to close.
    close_at: Option<tokio::time::Instant>,
    /// Connections taken from the kernel's queue on the way out, not yet handed over.
    queued: VecDeque<(Tracked, SocketAddr)>,
    stopped: watch::Receiver<bool>,
    /// Set when stopping: answers then close their connections.
    closing: Arc<AtomicBool>,
    /// Held until the listener has closed (see [`serve_worker`]).
    open: Option<mpsc::Sender<()>>,
}

/// How long a stopping worker's listening socket, which lets no new connection in, still
/// accepts connections whose handshake had begun: one whose client has sent its final ACK
/// is a connection to that client, reset if the socket closes before it is accepted.
pub const HANDSHAKE_GRACE: Duration = Duration::from_millis(500);

// The server stops asking the listener for connections after `IDLE_GRACE`: by then the
// listener must have closed, and handed over every connection it took.
const _: () = assert!(IDLE_GRACE.as_millis() > HANDSHAKE_GRACE.as_millis());

impl Draining {
    /// Begins to stop: answers from now on close their connections, and new connections
    /// are kept out ([`refuse_new_connections`]); the socket closes after
    /// [`HANDSHAKE_GRACE`].
    fn begin_closing(&mut self) {
        self.closing.store(true, Ordering::Relaxed);
        if let Some(listener) = &self.listener {
            refuse_new_connections(listener);
        }
        self.close_at = Some(tokio::time::Instant::now() + HANDSHAKE_GRACE);
    }

    /// Stops listening: every connection in the kernel's queue is taken first (with a
    /// plain non-blocking `accept` until there is none, which does not depend on the
    /// event loop having seen them arrive), then the socket closes.
    fn close(&mut self) {
        let Some(listener) = self.listener.take() else { return };
        let Some(open) = self.open.take() else { return };
        let listener = match listener.into_std() {
            Ok(listener) => listener,
            Err(e) => {
                tracing::warn!(error = %e, "cannot take the connections waiting to be accepted");
                return;
            }
        };
        loop {
            match listener.accept() {
                Ok((stream, addr)) => match stream.set_nonblocking(true).and_then(|()| TcpStream::from_std(stream)) {
                    Ok(stream) => self.queued.push_back((Tracked { stream, _open: open.clone() }, addr)),
                    Err(e) => tracing::warn!(error = %e, "cannot serve a connection accepted while stopping"),
                },
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                Err(e) if is_connection_error(&e) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "cannot accept the connections waiting while stopping");
                    break;
                }
            }
        }
        tracing::debug!(queued = self.queued.len(), "stopped listening");
    }
}

impl axum::serve::Listener for Draining {
    type Io = Tracked;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Tracked, SocketAddr) {
        loop {
            if let Some(queued) = self.queued.pop_front() {
                return queued;
            }
            let (Some(listener), Some(open)) = (&self.listener, &self.open) else {
                // Closed: the server stops asking once every connection has ended.
                return std::future::pending().await;
            };
            let accepted = match self.close_at {
                None => tokio::select! {
                    accepted = listener.accept() => accepted,
                    () = until_stopped(&mut self.stopped) => {
                        self.begin_closing();
                        continue;
                    }
                },
                Some(at) => tokio::select! {
                    accepted = listener.accept() => accepted,
                    () = tokio::time::sleep_until(at) => {
                        self.close();
                        continue;
                    }
                },
            };
            match accepted {
                Ok((stream, addr)) => return (Tracked { stream, _open: open.clone() }, addr),
                Err(e) if is_connection_error(&e) => {}
                Err(e) => {
                    // As axum's own listener: too many open files and the like pass.
                    tracing::error!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        Ok(self.addr)
    }
}

/// Makes the listening socket drop every new connection's first packet (its SYN) from now
/// on, while the packets of handshakes under way still pass: the client of a dropped SYN
/// sends it again a second later, when the socket has closed and the kernel refuses it (or
/// another worker's socket still listening takes it). Otherwise new connections would keep
/// completing their handshakes until the socket closes, and those not yet accepted would be
/// reset with their requests sent. A socket filter in classic BPF, which sees the TCP
/// header from its first byte: drop the packet if the flags (byte 13) have SYN, else keep it.
fn refuse_new_connections(listener: &tokio::net::TcpListener) {
    #[cfg(target_os = "linux")]
    {
        use socket2::SockFilter;
        /// The instructions' codes (`linux/filter.h`).
        const LOAD_BYTE: u16 = 0x30; // BPF_LD | BPF_B | BPF_ABS
        const JUMP_IF_SET: u16 = 0x45; // BPF_JMP | BPF_JSET | BPF_K
        const RETURN: u16 = 0x06; // BPF_RET | BPF_K
        const SYN: u32 = 0x02;
        let drop_syn = [
            SockFilter::new(LOAD_BYTE, 0, 0, 13),
            // Set: on to the next instruction; not set: skip it.
            SockFilter::new(JUMP_IF_SET, 0, 1, SYN),
            // Keep no byte: dropped.
            SockFilter::new(RETURN, 0, 0, 0),
            // Keep every byte.
            SockFilter::new(RETURN, 0, 0, u32::MAX),
        ];
        if let Err(e) = socket2::SockRef::from(listener).attach_filter(&drop_syn) {
            tracing::warn!(error = %e, "cannot keep new connections out of a stopping listener");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = listener;
}

/// Resolves when `stopped` turns true, or its sender is gone.
async fn until_stopped(stopped: &mut watch::Receiver<bool>) {
    let _ = stopped.wait_for(|stop| *stop).await;
}

/// An error about one connection only (it went away before it was accepted).
fn is_connection_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    matches!(e.kind(), ConnectionRefused | ConnectionAborted | ConnectionReset)
}

/// A connection, counted as open (see [`serve_worker`]) until it is dropped.
#[derive(Debug)]
struct Tracked {
    stream: TcpStream,
    _open: mpsc::Sender<()>,
}

impl AsyncRead for Tracked {
    fn poll_read(self: Pin<&mut Self>, cx: &mut TaskContext<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(self: Pin<&mut Self>, cx: &mut TaskContext<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

/// Resolves on SIGTERM or Ctrl-C. SIGTERM is listened for from the call on (a signal
/// before the first poll is not lost, nor does it end the process).
fn shutdown_signal() -> impl Future<Output = ()> {
    #[cfg(unix)]
    let term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate());
    async move {
        let ctrl_c = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        #[cfg(unix)]
        let term = async {
            match term {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let term = std::future::pending::<()>();
        tokio::select! {
            () = ctrl_c => {},
            () = term => {},
        }
        tracing::info!("shutting down: finishing requests under way");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    #[tokio::test]
    async fn every_worker_listens_on_the_port_and_a_taken_port_is_refused() {
        let listeners = listen("127.0.0.1:0".parse().unwrap(), 3).unwrap();
        assert_eq!(listeners.len(), 3);
        let addr = listeners[0].local_addr().unwrap();
        assert_ne!(addr.port(), 0);
        assert!(listeners.iter().all(|l| l.local_addr().unwrap() == addr));
        // A second server on the same port is refused, not let in to share it.
        let err = listen(addr, 2).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::AddrInUse);
    }

    fn get(addr: SocketAddr) -> std::io::Result<String> {
        use std::io::{Read, Write};
        let mut conn = std::net::TcpStream::connect(addr)?;
        conn.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")?;
        let mut out = String::new();
        conn.read_to_string(&mut out)?;
        Ok(out)
    }

    #[tokio::test]
    async fn workers_answer_and_stop_with_their_server() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::connect(&format!("sqlite://{}", dir.path().join("t.sqlite3").display())).await.unwrap();
        db.migrate().await.unwrap();
        let listeners = listen("127.0.0.1:0".parse().unwrap(), 2).unwrap();
        let addr = listeners[0].local_addr().unwrap();
        let state = AppState::new(db, crate::config::Layer::default().resolve(), addr).await.unwrap();
        let app = |_| Router::new().route("/", axum::routing::get(|| async { "ok" }));
        let served = tokio::spawn(serve_workers(listeners, state, app));
        for _ in 0..20 {
            let answer = tokio::task::spawn_blocking(move || get(addr)).await.unwrap().unwrap();
            assert!(answer.starts_with("HTTP/1.1 200") && answer.ends_with("ok"), "{answer}");
        }
        // Dropping the server tells its workers to stop: the port closes.
        served.abort();
        let closed = tokio::task::spawn_blocking(move || {
            (0..100).any(|_| {
                std::thread::sleep(Duration::from_millis(50));
                get(addr).is_err()
            })
        });
        assert!(closed.await.unwrap(), "the workers stopped listening");
    }
}
