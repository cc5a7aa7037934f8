//! A time limit on answering a request, with the timer armed only when the answer has to
//! wait. Most pages are answered on their first poll (the event page reads SQLite on the
//! calling thread); `tower_http`'s timeout arms its timer before that first poll, and arming
//! a timer wakes the event loop through its `eventfd`: a system call and an extra turn of
//! the loop on every request, for a timer that is almost never needed.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::http::{Response, StatusCode};
use tokio::time::{Instant, Sleep};
use tower::{Layer, Service};

/// Answers [`StatusCode::REQUEST_TIMEOUT`] (with an empty body) when the inner service has
/// not answered within `limit` of receiving the request.
#[derive(Clone, Copy, Debug)]
pub struct TimeoutLayer {
    limit: Duration,
}

impl TimeoutLayer {
    pub fn new(limit: Duration) -> TimeoutLayer {
        TimeoutLayer { limit }
    }
}

impl<S> Layer<S> for TimeoutLayer {
    type Service = Timeout<S>;

    fn layer(&self, inner: S) -> Timeout<S> {
        Timeout { inner, limit: self.limit }
    }
}

/// The service [`TimeoutLayer`] makes.
#[derive(Clone, Copy, Debug)]
pub struct Timeout<S> {
    inner: S,
    limit: Duration,
}

impl<S, Req, B> Service<Req> for Timeout<S>
where
    S: Service<Req, Response = Response<B>>,
    B: Default,
{
    type Response = Response<B>;
    type Error = S::Error;
    type Future = TimeoutFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Req) -> Self::Future {
        TimeoutFuture { inner: self.inner.call(req), deadline: Instant::now() + self.limit, sleep: None }
    }
}

pin_project_lite::pin_project! {
    /// The answer of [`Timeout`]: the inner answer, or 408 once the deadline has passed.
    pub struct TimeoutFuture<F> {
        #[pin]
        inner: F,
        deadline: Instant,
        #[pin]
        sleep: Option<Sleep>,
    }
}

impl<F, B, E> Future for TimeoutFuture<F>
where
    F: Future<Output = Result<Response<B>, E>>,
    B: Default,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        if let Poll::Ready(answer) = this.inner.poll(cx) {
            return Poll::Ready(answer);
        }
        if this.sleep.is_none() {
            this.sleep.set(Some(tokio::time::sleep_until(*this.deadline)));
        }
        match this.sleep.as_pin_mut().map(|sleep| sleep.poll(cx)) {
            Some(Poll::Ready(())) => {
                let mut res = Response::new(B::default());
                *res.status_mut() = StatusCode::REQUEST_TIMEOUT;
                Poll::Ready(Ok(res))
            }
            _ => Poll::Pending,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    async fn answer(wait: Duration) -> Result<Response<String>, std::convert::Infallible> {
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        Ok(Response::new("done".to_owned()))
    }

    #[tokio::test(start_paused = true)]
    async fn a_late_answer_becomes_408_and_a_prompt_one_passes() {
        let limit = Duration::from_secs(30);
        let svc = TimeoutLayer::new(limit).layer(tower::service_fn(answer));

        let prompt = svc.oneshot(Duration::ZERO).await.unwrap();
        assert_eq!(prompt.status(), StatusCode::OK);
        assert_eq!(prompt.body(), "done");

        // Waits that end before the limit pass; the clock is paused, so this is exact.
        let waited = svc.oneshot(limit - Duration::from_millis(1)).await.unwrap();
        assert_eq!(waited.status(), StatusCode::OK);

        let late = svc.oneshot(limit + Duration::from_millis(1)).await.unwrap();
        assert_eq!(late.status(), StatusCode::REQUEST_TIMEOUT);
        assert_eq!(late.body(), "");
    }

    #[tokio::test(start_paused = true)]
    async fn the_deadline_counts_from_the_request_not_from_the_first_wait() {
        let mut svc = TimeoutLayer::new(Duration::from_secs(10)).layer(tower::service_fn(answer));
        let started = Instant::now();
        let pending = svc.ready().await.unwrap().call(Duration::from_secs(8));
        // The answer is first polled 5 s after the request came: it would be done at 13 s,
        // but the limit ends at 10 s after the request.
        tokio::time::sleep(Duration::from_secs(5)).await;
        let res = pending.await.unwrap();
        assert_eq!(res.status(), StatusCode::REQUEST_TIMEOUT);
        assert_eq!(started.elapsed(), Duration::from_secs(10));
    }
}
