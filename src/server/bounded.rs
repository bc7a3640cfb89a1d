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
use crate::search::Engine;

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
    F: FnOnce(&dyn Engine) -> Result<T, ApiError> + Send + 'static,
{
    let bounds = Arc::clone(&state.bounds);
    let searcher = state.live.searcher();
    let deadline = bounds.deadline;
    let job = async move {
        let permit = Arc::clone(&bounds.permits).acquire_owned().await.map_err(|_| ApiError::unavailable("closing"))?;
        let task = tokio::task::spawn_blocking(move || {
            let out = work(&*searcher);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::live::LiveIndex;

    #[test]
    fn a_search_over_its_deadline_is_answered_503() {
        let tmp = tempfile::tempdir().unwrap();
        let papers = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus-sample");
        let seed = std::fs::read_dir(&papers).unwrap().map(|e| e.unwrap().path()).min().unwrap();
        let idx = tmp.path().join("idx");
        crate::indexer::index_paths(&idx, &[seed], &Default::default(), &mut |_| {}).unwrap();
        let state = AppState {
            live: Arc::new(LiveIndex::open(&idx).unwrap()),
            bounds: Arc::new(Bounds::new(1, Duration::from_millis(50))),
        };
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let slow = runtime.block_on(run(&state, |_| {
            std::thread::sleep(Duration::from_millis(400));
            Ok(())
        }));
        assert_eq!(slow.unwrap_err().status, axum::http::StatusCode::SERVICE_UNAVAILABLE);
        // The late search still holds its turn until it ends; then the next one runs.
        std::thread::sleep(Duration::from_millis(500));
        let quick = runtime.block_on(run(&state, |s| Ok(s.stats().map(|st| st.items).unwrap_or(0))));
        assert!(quick.unwrap() > 0);
    }
}
