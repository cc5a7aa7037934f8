//! Serving: a worker per core, each with its own event loop and listening socket
//! ([`serve_workers`], what `socialhub serve` runs), or one server on the caller's runtime
//! ([`serve`], for tests), until SIGTERM or Ctrl-C.

use std::net::SocketAddr;

use anyhow::Context;
use axum::Router;

use super::AppState;

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
/// On SIGTERM or Ctrl-C every worker finishes the requests under way, then this returns.
///
/// # Errors
/// A worker cannot start (PostgreSQL cannot be reached), or its listener fails.
pub async fn serve_workers(
    listeners: Vec<std::net::TcpListener>,
    state: AppState,
    app: fn(AppState) -> Router,
) -> anyhow::Result<()> {
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let (done, mut finished) = tokio::sync::mpsc::unbounded_channel::<anyhow::Result<()>>();
    let workers = listeners.len();
    let mut threads = Vec::new();
    for (n, listener) in listeners.into_iter().enumerate() {
        listener.set_nonblocking(true).context("cannot make the listener non-blocking")?;
        let (state, mut stopped, done) = (state.clone(), stopped.clone(), done.clone());
        let worker = move || {
            let served = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .context("cannot start a worker's event loop")
                .and_then(|runtime| {
                    runtime.block_on(async move {
                        let state = state.for_worker(workers).await?;
                        let listener = tokio::net::TcpListener::from_std(listener)?;
                        let served = axum::serve(
                            listener,
                            app(state.clone()).into_make_service_with_connect_info::<SocketAddr>(),
                        )
                        .with_graceful_shutdown(async move {
                            let _ = stopped.wait_for(|stop| *stop).await;
                        })
                        .await
                        .context("server error");
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
        () = shutdown_signal() => None,
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

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

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
