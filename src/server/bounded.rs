//! Bounds on the work one request may cause: searches run on the blocking
//! pool (never on the threads that serve connections), at most so many at
//! once, each within a deadline. A search over its deadline is answered 503
//! and its thread finishes in the background; the permit it holds keeps the
//! number of busy threads bounded all the same.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use super::error::ApiError;
use super::AppState;
use crate::search::Searcher;

/// The limits, shared by every request.
pub(crate) struct Bounds {
    permits: Arc<Semaphore>,
    deadline: Duration,
}

impl Bounds {
    /// At most `concurrent` searches at once, each within `deadline`.
    pub fn new(concurrent: usize, deadline: Duration) -> Bounds {
        Bounds { permits: Arc::new(Semaphore::new(concurrent.max(1))), deadline }
    }
}

/// Runs `work` on the current searcher, on the blocking pool, within the
/// deadline (waiting for a turn included).
pub(crate) async fn run<T, F>(state: &AppState, work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&Searcher) -> Result<T, ApiError> + Send + 'static,
{
    let bounds = Arc::clone(&state.bounds);
    let searcher = state.live.searcher();
    let deadline = bounds.deadline;
    let job = async move {
        let permit = Arc::clone(&bounds.permits).acquire_owned().await.map_err(|_| ApiError::unavailable("closing"))?;
        let task = tokio::task::spawn_blocking(move || {
            let out = work(&searcher);
            drop(permit);
            out
        });
        task.await.map_err(|e| ApiError::internal(format!("a search task failed: {e}")))?
    };
    match tokio::time::timeout(deadline, job).await {
        Ok(out) => out,
        Err(_) => Err(ApiError::unavailable(&format!(
            "the search took longer than {} s; narrow it (fewer words, a filter) and try again",
            deadline.as_secs_f32()
        ))),
    }
}
