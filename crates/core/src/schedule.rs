//! The seeded random draws of a training run (each epoch's shuffle, dropout masks), made in
//! one place so that every session of every lab replays exactly the same run from a seed
//! (sessions keep them in a [`crate::run::RunClock`]).

use crate::rng::Rng;

/// Stream of the per-epoch shuffles.
const SHUFFLE_STREAM: u64 = 0x5487_FF1E;
/// Stream of the dropout masks.
const DROPOUT_STREAM: u64 = 0xD207_0107;

/// The random draws of one run, from its seed and the epoch it starts at.
#[derive(Debug, Clone)]
pub struct Draws {
    shuffle_seed: u64,
    dropout: Rng,
}

impl Draws {
    /// The draws of a run with `seed` that starts (or resumes) at `epoch`.
    pub fn new(seed: u64, epoch: u64) -> Self {
        Self {
            shuffle_seed: seed ^ SHUFFLE_STREAM,
            dropout: Rng::new(seed ^ DROPOUT_STREAM).fork(epoch),
        }
    }

    /// The order in which epoch `epoch` visits the `rows` training points. It depends on the
    /// seed and the epoch alone, so a run resumed at any epoch (a link with weights, "restore
    /// best", the step view's look-ahead) shuffles exactly as the run it continues.
    pub fn epoch_order(&self, rows: usize, epoch: u64) -> Vec<usize> {
        let mut order: Vec<usize> = (0..rows).collect();
        Rng::new(self.shuffle_seed).fork(epoch).shuffle(&mut order);
        order
    }

    /// An inverted-dropout mask for `rows` points of a layer of `neurons`: row-major
    /// `rows × neurons`, each value 0 (dropped, probability `p`) or `1 / (1 - p)`.
    pub fn dropout_mask(&mut self, p: f32, rows: usize, neurons: usize) -> Vec<f32> {
        let keep = 1.0 / (1.0 - p);
        (0..rows * neurons)
            .map(|_| if self.dropout.unit() < p { 0.0 } else { keep })
            .collect()
    }
}

/// Where a run stands in its epochs: which training points the next batch takes.
///
/// Full batches take every point in order; smaller ones walk the epoch's shuffled order, the
/// last batch of an epoch taking what is left.
#[derive(Debug, Clone)]
pub struct EpochCursor {
    draws: Draws,
    /// This epoch's order (absent at the start of an epoch, and for full batches).
    order: Option<Vec<usize>>,
    next_row: usize,
    epoch: u64,
}

impl EpochCursor {
    /// The cursor of a run with `seed` that starts (or resumes) at `epoch`.
    pub fn new(seed: u64, epoch: u64) -> Self {
        Self {
            draws: Draws::new(seed, epoch),
            order: None,
            next_row: 0,
            epoch,
        }
    }

    /// Epochs completed.
    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    /// The run's random draws (for dropout masks).
    pub fn draws(&mut self) -> &mut Draws {
        &mut self.draws
    }

    /// Steps left in the current epoch (of `rows` points, `batch` a step).
    pub fn steps_left(&self, rows: usize, batch: usize) -> usize {
        if batch >= rows {
            1
        } else {
            (rows - self.next_row).div_ceil(batch)
        }
    }

    /// Writes the indices of the next batch (of a training set of `rows` points, `batch`
    /// points a step) into `indices`, then moves past it.
    pub fn next_batch(&mut self, rows: usize, batch: usize, indices: &mut Vec<usize>) {
        indices.clear();
        if batch >= rows {
            indices.extend(0..rows);
        } else {
            let order = self
                .order
                .get_or_insert_with(|| self.draws.epoch_order(rows, self.epoch));
            let end = (self.next_row + batch).min(rows);
            indices.extend_from_slice(&order[self.next_row..end]);
        }
        self.advance(rows, batch);
    }

    /// The first row of the next batch in this epoch's order.
    pub fn next_row(&self) -> usize {
        self.next_row
    }

    /// Moves past the next batch without reading it.
    pub fn advance(&mut self, rows: usize, batch: usize) {
        self.next_row += batch;
        if self.next_row >= rows {
            self.order = None;
            self.next_row = 0;
            self.epoch += 1;
        }
    }
}
