//! `council-search serve`: the search page, item pages, exports, Atom feeds
//! and the JSON API over one index, read-only.
//!
//! Every route calls the same library functions as the CLI ([`Searcher`]'s
//! `search`, `show`, `similar`, `timeline`, `stats`) and serialises the same
//! types, so the API's field names are the CLI's JSON. Requests are parsed in
//! one place ([`params`]), searches run on the blocking pool with a deadline
//! and a cap on how many run at once ([`bounded`]), and errors answer 400 (the
//! request's fault, naming the parameter), 404, 503 (over the deadline) or
//! 500 (a fault inside, never a user's input) as JSON ([`error`]). The index
//! is followed as `index` runs commit and rebuilds swap it ([`live`]).
//!
//! Safe by default: it binds where it is told (the CLI's default is
//! loopback), never writes, escapes every document text (the pages are
//! templates that escape by construction), forbids inline script with a
//! Content-Security-Policy, and serves a paper's source file only by item id
//! and only if the index holds it, never a path from the request.
//!
//! This module does not print: the caller is told the bound address through
//! a callback and gets errors back.

mod api;
mod assets;
mod bounded;
mod error;
mod export;
mod feed;
mod html;
mod item_page;
mod live;
mod meetings;
mod params;
mod search_page;
mod source;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, HeaderValue};
use axum::routing::get;
use axum::Router;

use crate::{Error, Result};
use bounded::Bounds;
use live::LiveIndex;

pub use api::ApiDoc;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to listen on (port 0: any free port).
    pub bind: SocketAddr,
    /// What to serve: an index folder, or a cluster.
    pub source: Served,
    /// Longest a search may take before the request is answered 503.
    pub deadline: Duration,
    /// How often to look for a new commit or a rebuilt index.
    pub reload_every: Duration,
    /// Searches running at once (more wait their turn, within the deadline).
    pub concurrent: usize,
}

impl ServeOptions {
    /// Defaults for an index folder and an address.
    pub fn new(index: PathBuf, bind: SocketAddr) -> ServeOptions {
        ServeOptions::of(Served::Index(index), bind)
    }

    /// Defaults for what to serve and an address.
    pub fn of(source: Served, bind: SocketAddr) -> ServeOptions {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        ServeOptions {
            bind,
            source,
            deadline: Duration::from_secs(10),
            reload_every: Duration::from_secs(1),
            concurrent: cores * 2,
        }
    }
}

/// What is served.
#[derive(Debug, Clone)]
pub enum Served {
    /// A local index folder, followed as it is indexed and rebuilt.
    Index(PathBuf),
    /// A Quickwit cluster's index.
    Cluster(crate::cluster::Quickwit),
}

/// What every handler shares: the live index and the bounds on work.
#[derive(Clone)]
pub(crate) struct AppState {
    pub live: Arc<LiveIndex>,
    pub bounds: Arc<Bounds>,
}

/// Serves until Ctrl-C or SIGTERM. `ready` is told the address once the
/// socket is bound (port 0 picks a free one).
pub fn serve(opts: ServeOptions, ready: impl FnOnce(SocketAddr)) -> Result<()> {
    let live = Arc::new(match &opts.source {
        Served::Index(dir) => LiveIndex::open(dir)?,
        Served::Cluster(cluster) => LiveIndex::engine(Arc::new(cluster.clone())),
    });
    LiveIndex::follow(&live, opts.reload_every);
    let state = AppState { live, bounds: Arc::new(Bounds::new(opts.concurrent, opts.deadline)) };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(opts.concurrent.max(1) * 4)
        .build()
        .map_err(|e| Error::Internal(format!("starting the server: {e}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(opts.bind)
            .await
            .map_err(|e| Error::BadInput(format!("cannot listen on {}: {e}", opts.bind)))?;
        let addr = listener.local_addr().map_err(|e| Error::Internal(e.to_string()))?;
        ready(addr);
        axum::serve(listener, router(state))
            .with_graceful_shutdown(shutdown())
            .await
            .map_err(|e| Error::Internal(format!("serving: {e}")))
    })
}

/// Every route.
pub(crate) fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(search_page::page))
        .route("/items/{id}", get(item_page::page))
        .route("/items/{id}/source", get(source::source))
        .route("/feed.atom", get(feed::feed))
        .route("/export.csv", get(export::csv))
        .route("/export.jsonl", get(export::json_lines))
        .route("/assets/{name}", get(assets::asset))
        .merge(api::routes())
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn(security_headers))
        .with_state(state)
}

/// The Content-Security-Policy of every page: scripts and styles from this
/// server only (no inline script, no inline style), no plugins, no framing.
pub(crate) const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Adds the security headers every response carries (a source PDF keeps its
/// own policy, set where it is served, so the browser's viewer can show it).
async fn security_headers(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    res
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown() {
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
        _ = ctrl_c => {},
        _ = term => {},
    }
}
