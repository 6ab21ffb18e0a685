//! Training for a stretch of time in the worker ("as fast as possible"): chunks of steps
//! between clock reads, sized so one chunk takes about [`CHUNK_MS`].

use emberlab_core::Steps;

/// One chunk of steps takes about this long.
const CHUNK_MS: f64 = 0.25;
/// Most steps in one chunk.
const MAX_CHUNK: usize = 1 << 14;

/// Trains `session` in chunks until `budget_ms` (by `now_ms`) has passed, resizing `chunk`.
pub fn train_for(
    session: &mut impl Steps,
    chunk: &mut usize,
    budget_ms: f64,
    now_ms: &dyn Fn() -> f64,
) {
    let start = now_ms();
    loop {
        let size = (*chunk).max(1);
        let chunk_start = now_ms();
        session.train_steps(size);
        let now = now_ms();
        *chunk = next_chunk(size, now - chunk_start);
        if now - start >= budget_ms {
            return;
        }
    }
}

/// The next chunk after one of `size` steps took `took_ms`.
fn next_chunk(size: usize, took_ms: f64) -> usize {
    if took_ms < CHUNK_MS / 2.0 {
        (size * 2).min(MAX_CHUNK)
    } else if took_ms > CHUNK_MS * 2.0 {
        (size / 2).max(1)
    } else {
        size
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_grow_while_quick_and_shrink_when_slow() {
        assert_eq!(next_chunk(4, 0.01), 8);
        assert_eq!(next_chunk(MAX_CHUNK, 0.01), MAX_CHUNK);
        assert_eq!(next_chunk(8, 5.0), 4);
        assert_eq!(next_chunk(1, 5.0), 1);
        assert_eq!(next_chunk(8, CHUNK_MS), 8);
    }
}
