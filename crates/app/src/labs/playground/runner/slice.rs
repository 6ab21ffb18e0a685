//! Training one frame's slice on the main thread: chunks of steps between clock reads.

use emberlab_core::Steps;
use emberlab_core::Trainer;

use super::plan::Slice;
use crate::frame::now_ms;

/// The CPU trains in chunks of steps between two clock reads, sized to take about this long.
const CHUNK_MS: f64 = 0.25;
/// Most steps in one chunk.
const MAX_CHUNK: usize = 1 << 14;

/// Trains in chunks until the slice's budget has passed or its limit is reached, resizing
/// `chunk` so one chunk takes about [`CHUNK_MS`].
pub fn train_for(trainer: &mut Trainer, chunk: &mut usize, slice: Slice) {
    let start = now_ms();
    let mut done = 0;
    loop {
        let mut size = *chunk;
        if let Some(target) = slice.limit.epoch {
            if trainer.epoch() >= target {
                return;
            }
            // Never past the epoch asked for: "one epoch" is exactly one.
            size = size.min(trainer.steps_left_in_epoch());
        }
        if let Some(most) = slice.limit.steps {
            if done >= most {
                return;
            }
            size = size.min(most - done);
        }
        let chunk_start = now_ms();
        trainer.train_steps(size);
        done += size;
        let now = now_ms();
        let took = now - chunk_start;
        *chunk = if took < CHUNK_MS / 2.0 {
            (size * 2).min(MAX_CHUNK)
        } else if took > CHUNK_MS * 2.0 {
            (size / 2).max(1)
        } else {
            size
        };
        if now - start >= slice.budget_ms {
            return;
        }
    }
}
