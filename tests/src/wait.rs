//! Polling until the page reaches a state, with the last state seen in the timeout message.

use std::fmt::Display;
use std::time::{Duration, Instant};

use crate::error::{HarnessError, Result};

/// What one look at the page found.
#[derive(Debug)]
pub enum Probe<T> {
    /// The awaited state, with the value to hand back.
    Ready(T),
    /// Not yet; the text describes what was seen (it ends up in the timeout error).
    NotYet(String),
}

/// Calls `probe` every `poll` until it is [`Probe::Ready`], or fails after `timeout`.
pub async fn wait_until<T>(
    what: impl Display,
    timeout: Duration,
    poll: Duration,
    mut probe: impl AsyncFnMut() -> Result<Probe<T>>,
) -> Result<T> {
    let started = Instant::now();
    loop {
        let seen = match probe().await? {
            Probe::Ready(value) => return Ok(value),
            Probe::NotYet(seen) => seen,
        };
        if started.elapsed() >= timeout {
            return Err(HarnessError::Timeout {
                what: format!("{what} (last seen: {seen})"),
                after: timeout,
            });
        }
        tokio::time::sleep(poll).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn returns_the_ready_value() -> Result<()> {
        let mut calls = 0;
        let value = wait_until(
            "three calls",
            Duration::from_secs(5),
            Duration::ZERO,
            async || {
                calls += 1;
                Ok(if calls == 3 {
                    Probe::Ready(calls)
                } else {
                    Probe::NotYet(format!("{calls} calls"))
                })
            },
        )
        .await?;
        assert_eq!(value, 3);
        Ok(())
    }

    #[tokio::test]
    async fn times_out_with_the_last_state() {
        let result: Result<()> = wait_until(
            "never",
            Duration::from_millis(30),
            Duration::from_millis(10),
            async || Ok(Probe::NotYet("still nothing".to_owned())),
        )
        .await;
        let message = result.err().map(|err| err.to_string()).unwrap_or_default();
        assert!(
            message.contains("never (last seen: still nothing)"),
            "{message}"
        );
    }
}
