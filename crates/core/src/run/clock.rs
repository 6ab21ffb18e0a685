//! Where a run stands, written once for every lab's session: its seeded epochs and batches
//! ([`EpochCursor`]) and the optimiser steps taken ([`RunClock`]), and what any session that
//! trains one step at a time gets from it ([`Steps`]).

use crate::schedule::{Draws, EpochCursor};

/// A run's position: epochs completed, the next batch, and optimiser steps taken, from the
/// run's seed. Every session keeps one; hosts read epochs and steps through [`Steps`].
#[derive(Debug, Clone)]
pub struct RunClock {
    cursor: EpochCursor,
    steps: u64,
}

/// Rows `start..start + len` of an epoch's order (see [`RunClock::next_span`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// The epoch the rows belong to.
    pub epoch: u64,
    /// First row (0: a new epoch starts).
    pub start: usize,
    /// Rows in the batch.
    pub len: usize,
}

impl RunClock {
    /// The clock of a run with `seed` that starts (or resumes) at `epoch`.
    pub fn new(seed: u64, epoch: u64) -> Self {
        Self {
            cursor: EpochCursor::new(seed, epoch),
            steps: 0,
        }
    }

    /// Epochs completed.
    pub fn epoch(&self) -> u64 {
        self.cursor.epoch()
    }

    /// Optimiser steps taken since the clock started.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Optimiser steps in one epoch of `rows` points, `batch` a step.
    pub fn steps_per_epoch(rows: usize, batch: usize) -> usize {
        rows.div_ceil(batch.clamp(1, rows.max(1))).max(1)
    }

    /// Optimiser steps until the current epoch ends.
    pub fn steps_left_in_epoch(&self, rows: usize, batch: usize) -> usize {
        self.cursor.steps_left(rows, batch)
    }

    /// The run's random draws (dropout masks).
    pub fn draws(&mut self) -> &mut Draws {
        self.cursor.draws()
    }

    /// Counts one optimiser step on the batch whose indices it writes into `indices`.
    pub fn next_batch(&mut self, rows: usize, batch: usize, indices: &mut Vec<usize>) {
        self.cursor.next_batch(rows, batch, indices);
        self.steps += 1;
    }

    /// Counts one optimiser step on the next batch, given as a span of the epoch's order
    /// ([`Draws::epoch_order`] of `span.epoch`; full batches: every row in order), for a
    /// session that shuffles its data once an epoch on its device.
    pub fn next_span(&mut self, rows: usize, batch: usize) -> Span {
        let epoch = self.cursor.epoch();
        let start = if batch >= rows {
            0
        } else {
            self.cursor.next_row()
        };
        let len = batch.min(rows - start);
        self.cursor.advance(rows, batch);
        self.steps += 1;
        Span { epoch, start, len }
    }

    /// The indices of the batch `ahead` steps after the next one (`0`: the next), crossing
    /// into later epochs as training would. Draws nothing.
    pub fn batch_after(&self, ahead: usize, rows: usize, batch: usize) -> Vec<usize> {
        let mut cursor = self.cursor.clone();
        let mut indices = Vec::new();
        for _ in 0..=ahead {
            cursor.next_batch(rows, batch, &mut indices);
        }
        indices
    }
}

/// A session that trains one optimiser step at a time on a [`RunClock`]. Every lab's
/// session implements the two required methods and gets the run's bookkeeping from here.
pub trait Steps {
    /// The session's clock.
    fn clock(&self) -> &RunClock;

    /// Training points and the points per step, as the next step will take them.
    fn epoch_shape(&self) -> (usize, usize);

    /// Takes one optimiser step.
    fn step(&mut self);

    /// Epochs completed.
    fn epoch(&self) -> u64 {
        self.clock().epoch()
    }

    /// Optimiser steps taken by this session.
    fn steps(&self) -> u64 {
        self.clock().steps()
    }

    /// Optimiser steps in one epoch at the current batch size.
    fn steps_per_epoch(&self) -> usize {
        let (rows, batch) = self.epoch_shape();
        RunClock::steps_per_epoch(rows, batch)
    }

    /// Optimiser steps until the current epoch ends.
    fn steps_left_in_epoch(&self) -> usize {
        let (rows, batch) = self.epoch_shape();
        self.clock().steps_left_in_epoch(rows, batch)
    }

    /// Takes `steps` optimiser steps; returns the number of epochs completed meanwhile.
    fn train_steps(&mut self, steps: usize) -> u64 {
        let start = self.epoch();
        for _ in 0..steps {
            self.step();
        }
        self.epoch() - start
    }

    /// Trains `epochs` whole epochs (finishing the current one first).
    fn train_epochs(&mut self, epochs: u64) {
        let target = self.epoch() + epochs;
        while self.epoch() < target {
            let left = self.steps_left_in_epoch().max(1);
            self.train_steps(left);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_cover_each_epoch_once_and_count_steps() {
        let mut clock = RunClock::new(7, 0);
        let spans: Vec<Span> = (0..5).map(|_| clock.next_span(10, 4)).collect();
        let starts: Vec<(u64, usize, usize)> =
            spans.iter().map(|s| (s.epoch, s.start, s.len)).collect();
        assert_eq!(
            starts,
            vec![(0, 0, 4), (0, 4, 4), (0, 8, 2), (1, 0, 4), (1, 4, 4)]
        );
        assert_eq!((clock.epoch(), clock.steps()), (1, 5));
        let mut full = RunClock::new(7, 3);
        assert_eq!(
            full.next_span(10, 50),
            Span {
                epoch: 3,
                start: 0,
                len: 10
            }
        );
        assert_eq!(full.epoch(), 4);
    }

    #[test]
    fn spans_and_batches_walk_the_same_rows() {
        let (rows, batch) = (23, 5);
        let mut by_span = RunClock::new(11, 2);
        let mut by_batch = RunClock::new(11, 2);
        let draws = Draws::new(11, 2);
        let mut indices = Vec::new();
        for _ in 0..12 {
            let span = by_span.next_span(rows, batch);
            by_batch.next_batch(rows, batch, &mut indices);
            let order = draws.epoch_order(rows, span.epoch);
            assert_eq!(order[span.start..span.start + span.len], indices[..]);
        }
        assert_eq!(by_span.steps(), by_batch.steps());
        assert_eq!(by_span.epoch(), by_batch.epoch());
    }

    #[test]
    fn steps_per_epoch_never_divides_by_zero() {
        assert_eq!(RunClock::steps_per_epoch(10, 3), 4);
        assert_eq!(RunClock::steps_per_epoch(10, 100), 1);
        assert_eq!(RunClock::steps_per_epoch(0, 0), 1);
    }
}
