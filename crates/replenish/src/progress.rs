//! Progress and cancellation of long calls.
//!
//! A [`Progress`] is shared between the caller and the work: the work adds what it
//! has to do ([`Progress::add_total`]), counts what it has done ([`Progress::advance`])
//! and stops with [`Error::Cancelled`] at its next check once the caller has called
//! [`Progress::cancel`]. The bindings poll it from their own thread to draw a
//! progress bar (Python's tqdm), honour Ctrl-C (Python) and an `AbortSignal` (Node).
//! The algorithms stay pure: a progress handle only counts and carries one flag.
//!
//! ```
//! use replenish::progress::Progress;
//! let p = Progress::new();
//! p.add_total(3);
//! p.advance(1);
//! assert_eq!(p.snapshot(), (1, 3));
//! assert!(p.check().is_ok());
//! p.cancel();
//! assert!(matches!(p.check(), Err(replenish::Error::Cancelled)));
//! ```

use crate::error::{Error, Result};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

/// A shared counter of work done and to do, with a cancellation flag. Clones share
/// the same state.
#[derive(Debug, Clone, Default)]
pub struct Progress(Arc<State>);

#[derive(Debug, Default)]
struct State {
    done: AtomicU64,
    total: AtomicU64,
    cancelled: AtomicBool,
}

impl Progress {
    pub fn new() -> Progress {
        Progress::default()
    }

    /// Adds `n` units of work to do.
    pub fn add_total(&self, n: usize) {
        self.0.total.fetch_add(n as u64, Ordering::Relaxed);
    }

    /// Counts `n` units of work done.
    pub fn advance(&self, n: usize) {
        self.0.done.fetch_add(n as u64, Ordering::Relaxed);
    }

    /// Work done and to do so far, as `(done, total)`.
    pub fn snapshot(&self) -> (u64, u64) {
        (self.0.done.load(Ordering::Relaxed), self.0.total.load(Ordering::Relaxed))
    }

    /// Asks the work to stop at its next check.
    pub fn cancel(&self) {
        self.0.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.cancelled.load(Ordering::Relaxed)
    }

    /// [`Error::Cancelled`] once [`Progress::cancel`] was called.
    pub fn check(&self) -> Result<()> {
        if self.is_cancelled() {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    }

    /// Checks for cancellation, runs one unit of work and counts it.
    pub fn step<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        self.check()?;
        let out = f();
        self.advance(1);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_state_and_step_counts_even_on_error() {
        let p = Progress::new();
        let q = p.clone();
        q.add_total(2);
        assert_eq!(p.step(|| Ok(1)).unwrap(), 1);
        assert!(p.step::<()>(|| Err(Error::InvalidInput("x".into()))).is_err());
        assert_eq!(q.snapshot(), (2, 2));
        q.cancel();
        assert!(matches!(p.step(|| Ok(())), Err(Error::Cancelled)));
        assert_eq!(p.snapshot(), (2, 2), "a cancelled step does not run");
    }
}
