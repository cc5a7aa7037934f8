//! The server's worker threads: one event loop per core, each answering the connections it
//! is dealt, the way nginx runs a worker per core.
//!
//! One thread accepts connections on the listening socket and deals each to the worker
//! with the fewest open connections; from then on the connection's requests are answered
//! on that worker's thread alone. A request never moves between threads: with tokio's
//! work-stealing scheduler, waking the other thread cost about a third of the throughput
//! on two cores (see `docs/performance.md`). Dealing by open connections keeps the
//! workers evenly loaded: with a listening socket per worker (`SO_REUSEPORT`), the kernel
//! spread connections by a hash of their addresses, and a benchmark's 64 connections came
//! out as 42 and 22 as often as 32 and 32, the busier worker's answers slower by as much.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context as TaskContext, Poll};
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::serve::ListenerExt;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::mpsc;

/// The listening socket on `addr` (a backlog of 1,024, as tokio's own `bind`). Call it on
/// a runtime.
///
/// # Errors
/// The address is taken or not ours.
pub fn listen(addr: SocketAddr) -> io::Result<std::net::TcpListener> {
    let socket = if addr.is_ipv4() { tokio::net::TcpSocket::new_v4()? } else { tokio::net::TcpSocket::new_v6()? };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(1024)?.into_std()
}

/// A connection dealt to a worker, with the count of the worker's open connections it
/// takes part in until it closes.
struct Dealt {
    stream: std::net::TcpStream,
    peer: SocketAddr,
    open: Counted,
}

/// One open connection in a worker's count; dropping it takes it out.
struct Counted(Arc<AtomicUsize>);

impl Counted {
    fn new(count: &Arc<AtomicUsize>) -> Counted {
        count.fetch_add(1, Ordering::Relaxed);
        Counted(Arc::clone(count))
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A worker's side of the deal: the connections it is given, as a listener for `axum::serve`.
struct Dealing(mpsc::UnboundedReceiver<Dealt>);

impl axum::serve::Listener for Dealing {
    type Io = Connection;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Connection, SocketAddr) {
        loop {
            // When the dealer stops, no connection comes any more: the server's own
            // shutdown ends the worker.
            let Some(Dealt { stream, peer, open }) = self.0.recv().await else {
                return std::future::pending().await;
            };
            match TcpStream::from_std(stream) {
                Ok(stream) => return (Connection { stream, _open: open }, peer),
                Err(e) => tracing::warn!(error = %e, "cannot take a connection on a worker"),
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        Err(io::Error::new(io::ErrorKind::Unsupported, "a worker is dealt connections; it has no address"))
    }
}

/// A connection on a worker's event loop, counted among the worker's open connections.
struct Connection {
    stream: TcpStream,
    _open: Counted,
}

impl AsyncRead for Connection {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Connection {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        // hyper sends the head and the body of an answer in one `writev`.
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// The worker with the fewest open connections (the first of equals).
fn least_loaded(open: &[Arc<AtomicUsize>]) -> usize {
    (0..open.len()).min_by_key(|&n| open[n].load(Ordering::Relaxed)).unwrap_or(0)
}

/// Serves `app` on `listener` from `workers` threads (at least one), each with an event
/// loop of its own, dealing each new connection to the least busy. Background work
/// (reminders, housekeeping) and the dealing stay on the caller's runtime.
///
/// On SIGTERM or Ctrl-C the dealer stops accepting, every worker finishes the requests
/// under way, then this returns.
///
/// # Errors
/// A worker cannot start, or stops by itself.
pub async fn serve_workers(listener: std::net::TcpListener, workers: usize, app: Router) -> anyhow::Result<()> {
    listener.set_nonblocking(true).context("cannot make the listener non-blocking")?;
    let listener = tokio::net::TcpListener::from_std(listener).context("cannot listen")?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let (done, mut finished) = mpsc::unbounded_channel::<anyhow::Result<()>>();
    let mut threads = Vec::new();
    let mut deal = Vec::new();
    let mut open = Vec::new();
    for n in 0..workers.max(1) {
        let (give, given) = mpsc::unbounded_channel();
        deal.push(give);
        open.push(Arc::new(AtomicUsize::new(0)));
        let (app, mut stopped, done) = (app.clone(), stopped.clone(), done.clone());
        let worker = move || {
            let served = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .context("cannot start a worker's event loop")
                .and_then(|runtime| {
                    runtime.block_on(async move {
                        // `tap_io` gives axum the peer's address of each connection.
                        let dealing = Dealing(given).tap_io(|_| {});
                        axum::serve(dealing, app.into_make_service_with_connect_info::<SocketAddr>())
                            .with_graceful_shutdown(async move {
                                let _ = stopped.wait_for(|stop| *stop).await;
                            })
                            .await
                            .context("server error")
                    })
                });
            let _ = done.send(served);
        };
        threads.push(std::thread::Builder::new().name(format!("http-{n}")).spawn(worker)?);
    }
    drop(done);
    // Deal until a signal, or until a worker stops by itself (an error: the others stop too).
    let early = tokio::select! {
        () = super::shutdown_signal() => None,
        result = finished.recv() => result,
        () = deal_connections(&listener, &deal, &open) => None,
    };
    drop(listener);
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

/// Accepts connections and deals each to the least busy worker, until the workers are gone.
async fn deal_connections(
    listener: &tokio::net::TcpListener,
    deal: &[mpsc::UnboundedSender<Dealt>],
    open: &[Arc<AtomicUsize>],
) {
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                // As axum's own accept loop: a connection that failed before it was taken
                // is skipped; anything else (out of file descriptors) waits a moment.
                if !matches!(
                    e.kind(),
                    io::ErrorKind::ConnectionRefused
                        | io::ErrorKind::ConnectionAborted
                        | io::ErrorKind::ConnectionReset
                ) {
                    tracing::error!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                continue;
            }
        };
        let stream = match stream.into_std() {
            Ok(stream) => stream,
            Err(e) => {
                tracing::warn!(error = %e, "cannot hand a connection to a worker");
                continue;
            }
        };
        let n = least_loaded(open);
        if deal[n].send(Dealt { stream, peer, open: Counted::new(&open[n]) }).is_err() {
            // That worker has stopped; `serve_workers` is told by its result.
            return std::future::pending().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_taken_port_is_refused() {
        let first = listen("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = first.local_addr().unwrap();
        assert_ne!(addr.port(), 0);
        let err = listen(addr).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
    }

    #[test]
    fn connections_go_to_the_least_loaded_worker() {
        let open: Vec<_> = [2, 1, 1].into_iter().map(|n| Arc::new(AtomicUsize::new(n))).collect();
        assert_eq!(least_loaded(&open), 1, "the first of equals");
        let a = Counted::new(&open[1]);
        assert_eq!(least_loaded(&open), 2);
        let b = Counted::new(&open[2]);
        let c = Counted::new(&open[0]);
        assert_eq!(open.iter().map(|o| o.load(Ordering::Relaxed)).collect::<Vec<_>>(), [3, 2, 2]);
        drop((a, b, c));
        assert_eq!(open.iter().map(|o| o.load(Ordering::Relaxed)).collect::<Vec<_>>(), [2, 1, 1]);
    }

    fn get(addr: SocketAddr) -> io::Result<String> {
        use std::io::{Read, Write};
        let mut conn = std::net::TcpStream::connect(addr)?;
        conn.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")?;
        let mut out = String::new();
        conn.read_to_string(&mut out)?;
        Ok(out)
    }

    #[tokio::test]
    async fn workers_share_the_connections_evenly_and_stop_with_their_server() {
        let listener = listen("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = listener.local_addr().unwrap();
        // Each answer names the worker thread and the peer's address axum was given.
        let app = Router::new().route(
            "/",
            axum::routing::get(|axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<SocketAddr>| async move {
                format!("{} {peer}", std::thread::current().name().unwrap_or_default())
            }),
        );
        let served = tokio::spawn(serve_workers(listener, 2, app));
        // Ten connections held open at once: five on each worker.
        let answers = tokio::task::spawn_blocking(move || {
            use std::io::{BufRead, BufReader, Write};
            let conns: Vec<_> = (0..10).map(|_| std::net::TcpStream::connect(addr).unwrap()).collect();
            conns
                .into_iter()
                .map(|mut conn| {
                    let local = conn.local_addr().unwrap();
                    conn.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
                    let mut reader = BufReader::new(conn);
                    let mut line = String::new();
                    let mut body_len = 0;
                    loop {
                        line.clear();
                        reader.read_line(&mut line).unwrap();
                        if let Some(n) = line.to_ascii_lowercase().strip_prefix("content-length: ") {
                            body_len = n.trim().parse().unwrap();
                        }
                        if line == "\r\n" {
                            break;
                        }
                    }
                    let mut body = vec![0; body_len];
                    std::io::Read::read_exact(&mut reader, &mut body).unwrap();
                    (String::from_utf8(body).unwrap(), local, reader)
                })
                .collect::<Vec<_>>()
        })
        .await
        .unwrap();
        let on = |worker: &str| answers.iter().filter(|(body, ..)| body.starts_with(&format!("{worker} "))).count();
        assert_eq!((on("http-0"), on("http-1")), (5, 5), "{answers:?}");
        for (body, local, _) in &answers {
            assert!(body.ends_with(&format!(" {local}")), "the peer's address: {body} for {local}");
        }
        drop(answers);
        for _ in 0..10 {
            let answer = tokio::task::spawn_blocking(move || get(addr)).await.unwrap().unwrap();
            assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
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
