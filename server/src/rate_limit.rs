//! Limits on sign-in attempts per client address and per e-mail address, in memory.
//!
//! The store's lockout (five wrong passwords in a row) protects an account; these keep
//! one client from spending the server's password hashing on guesses, and cap guesses at
//! one address across many clients. Both count every attempt before any password is
//! checked, so a refusal says nothing about whether the address has an account.
//! In memory: a restart forgets them, and each server process counts on its own.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// At most `max` attempts in each window of `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub max: u32,
    pub per: Duration,
}

/// Past this many keys, windows that have ended are dropped at the next attempt.
const PRUNE_ABOVE: usize = 10_000;

#[derive(Debug)]
pub struct Limiter<K> {
    limit: RateLimit,
    windows: Mutex<HashMap<K, Window>>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    count: u32,
}

impl<K: Hash + Eq> Limiter<K> {
    pub fn new(limit: RateLimit) -> Self {
        Self { limit, windows: Mutex::new(HashMap::new()) }
    }

    /// Counts one attempt by `key` at `now`; when the window is already full, refuses with
    /// how long until it ends.
    pub fn hit(&self, key: K, now: Instant) -> Result<(), Duration> {
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        if windows.len() > PRUNE_ABOVE {
            windows.retain(|_, window| now.duration_since(window.started) < self.limit.per);
        }
        let window = windows.entry(key).or_insert(Window { started: now, count: 0 });
        if now.duration_since(window.started) >= self.limit.per {
            *window = Window { started: now, count: 0 };
        }
        if window.count >= self.limit.max {
            return Err(self.limit.per.saturating_sub(now.duration_since(window.started)));
        }
        window.count += 1;
        Ok(())
    }
}

/// "2 minutes", "1 minute", "30 seconds".
pub fn wait_text(wait: Duration) -> String {
    let seconds = wait.as_secs().max(1);
    match seconds {
        s if s > 90 => format!("{} minutes", s.div_ceil(60)),
        s if s >= 60 => "1 minute".to_owned(),
        1 => "1 second".to_owned(),
        s => format!("{s} seconds"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_attempt_past_the_limit_waits_for_the_window_to_end() {
        let limiter = Limiter::new(RateLimit { max: 2, per: Duration::from_secs(60) });
        let start = Instant::now();
        assert_eq!(limiter.hit("a", start), Ok(()));
        assert_eq!(limiter.hit("a", start + Duration::from_secs(1)), Ok(()));
        assert_eq!(limiter.hit("a", start + Duration::from_secs(10)), Err(Duration::from_secs(50)));
        assert_eq!(limiter.hit("b", start + Duration::from_secs(10)), Ok(()), "each key counts alone");
        assert_eq!(limiter.hit("a", start + Duration::from_secs(60)), Ok(()), "a new window");
    }

    #[test]
    fn waits_read_as_people_say_them() {
        assert_eq!(wait_text(Duration::from_secs(0)), "1 second");
        assert_eq!(wait_text(Duration::from_secs(45)), "45 seconds");
        assert_eq!(wait_text(Duration::from_secs(75)), "1 minute");
        assert_eq!(wait_text(Duration::from_secs(14 * 60 + 1)), "15 minutes");
    }
}
