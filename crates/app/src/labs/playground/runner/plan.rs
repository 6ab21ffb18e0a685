//! Frame planning: what each displayed frame asks of the worker, from the play state, the speed
//! and the step button, and how much of the network view it redraws. Pure, so it is tested
//! natively.

use emberlab_core::playground_state::Speed;

/// What the runner remembers between frames to plan each one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FramePlan {
    /// Steps (of one epoch each) asked for and not sent yet.
    step_requests: u32,
    /// Something changed that the views should show (a new run, a pause): report even if
    /// nothing trains.
    dirty: bool,
}

/// What the frame knows when it plans.
#[derive(Debug, Clone, Copy)]
pub struct FrameState {
    /// Whether training plays.
    pub playing: bool,
    /// The chosen pace.
    pub speed: Speed,
}

impl FramePlan {
    /// The step button: one more epoch (queued behind one in progress).
    pub fn request_step(&mut self) {
        self.step_requests += 1;
    }

    /// Asks for a report at the next frame.
    pub fn show(&mut self) {
        self.dirty = true;
    }

    /// Forgets the queued steps (new run, play or pause); the next frame reports.
    pub fn clear(&mut self) {
        *self = Self {
            step_requests: 0,
            dirty: true,
        };
    }

    /// The whole epochs this frame asks the worker to train before it reports (0 while "as
    /// fast as possible" trains anyway, or to show a change), or `None` when there is nothing
    /// to ask: exactly the pace's epochs per displayed frame, exactly one per step.
    pub fn frame(&mut self, now: FrameState) -> Option<u64> {
        let epochs = if now.playing {
            match now.speed {
                Speed::EpochsPerFrame(n) => n,
                Speed::Max => 0,
            }
        } else if self.step_requests > 0 {
            self.step_requests -= 1;
            1
        } else if self.dirty {
            0
        } else {
            return None;
        };
        self.dirty = false;
        Some(epochs)
    }
}

/// Multiply-adds of one forward pass per point above which a frame's grids are coarser:
/// TensorFlow Playground's largest network (6 × 8, every feature) needs 384, the editor's
/// largest (8 × 16) 1 920.
pub const BIG_NETWORK_MACS: usize = 600;
/// The coarser grid side for bigger networks: a quarter of the points, so the 8 × 16 network's
/// observation costs about what the 6 × 8 one's does at the full grid.
pub const BIG_NETWORK_GRID: usize = 50;

/// Multiply-adds of one forward pass per point through layers of `widths` (features, hidden
/// layers, outputs): the weights' count.
pub fn macs(widths: &[usize]) -> usize {
    widths.windows(2).map(|w| w[0] * w[1]).sum()
}

/// Which parts of the network view a frame redraws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NetworkParts {
    /// The links canvas.
    pub links: bool,
    /// The hidden neurons' thumbnails.
    pub neurons: bool,
}

impl NetworkParts {
    /// Every part.
    pub const ALL: Self = Self {
        links: true,
        neurons: true,
    };
}

/// What the network view redraws for its `frame`-th snapshot. A network above
/// [`BIG_NETWORK_MACS`] that is training redraws its links and its neuron thumbnails on
/// alternate frames: in a software rasteriser each is several milliseconds of the browser's
/// paint for the 8 × 16 network, and together they made every frame late. Each still changes
/// 30 times a second. Smaller networks, and any network at rest, redraw everything.
pub fn network_parts(frame: u64, macs: usize, playing: bool) -> NetworkParts {
    if !playing || macs <= BIG_NETWORK_MACS {
        return NetworkParts::ALL;
    }
    let links = frame.is_multiple_of(2);
    NetworkParts {
        links,
        neurons: !links,
    }
}

/// Multiply-adds per point above which a network training on the CPU observes every third
/// frame (the editor's largest, 8 × 16, needs 1 920).
pub const HUGE_NETWORK_MACS: usize = 1_500;

/// Whether the `frame`-th frame while `playing` reads an observation back (metrics, weights,
/// grids) for the views. A network above [`BIG_NETWORK_MACS`] training on the CPU observes
/// every other frame, one above [`HUGE_NETWORK_MACS`] every third: their grids and views (up
/// to 128 thumbnails and two thousand links, and the browser's layout, commit and compositing
/// of them) cost more than a display frame on a two-core machine, and redrawn 20–30 times a
/// second the page keeps its 60 frames/s. On a GPU the readback paces the queue, so every
/// frame observes; at rest (a step, an edit) every change is shown.
pub fn observe_due(frame: u64, macs: usize, playing: bool, gpu: bool) -> bool {
    let every = if macs > HUGE_NETWORK_MACS {
        3
    } else if macs > BIG_NETWORK_MACS {
        2
    } else {
        1
    };
    !playing || gpu || frame.is_multiple_of(every)
}

/// The side of the grid the output map and the neuron thumbnails are computed on, for a network
/// whose layer widths (features, hidden layers, outputs) are `widths`.
pub fn grid_size(widths: &[usize]) -> usize {
    if macs(widths) > BIG_NETWORK_MACS {
        BIG_NETWORK_GRID
    } else {
        emberlab_core::limits::GRID_SIZE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(playing: bool, speed: Speed) -> FrameState {
        FrameState { playing, speed }
    }

    #[test]
    fn fixed_speeds_ask_for_exactly_their_epochs_each_frame() {
        let mut plan = FramePlan::default();
        for _ in 0..3 {
            assert_eq!(plan.frame(at(true, Speed::EpochsPerFrame(5))), Some(5));
        }
        assert_eq!(
            plan.frame(at(true, Speed::Max)),
            Some(0),
            "the worker trains anyway"
        );
    }

    #[test]
    fn each_step_is_exactly_one_epoch_and_paused_frames_ask_nothing() {
        let mut plan = FramePlan::default();
        assert_eq!(plan.frame(at(false, Speed::Max)), None);
        plan.request_step();
        plan.request_step();
        assert_eq!(plan.frame(at(false, Speed::Max)), Some(1));
        assert_eq!(plan.frame(at(false, Speed::Max)), Some(1));
        assert_eq!(plan.frame(at(false, Speed::Max)), None);
        plan.clear();
        assert_eq!(
            plan.frame(at(false, Speed::Max)),
            Some(0),
            "a change shows once"
        );
        assert_eq!(plan.frame(at(false, Speed::Max)), None);
    }

    #[test]
    fn big_networks_redraw_links_and_neurons_on_alternate_frames_while_training() {
        let editor_largest = macs(&[vec![7], vec![16; 8], vec![1]].concat());
        let tfp_largest = macs(&[vec![7], vec![8; 6], vec![1]].concat());
        assert_eq!(editor_largest, 7 * 16 + 7 * 16 * 16 + 16);
        let frames: Vec<NetworkParts> = (0..4)
            .map(|f| network_parts(f, editor_largest, true))
            .collect();
        for pair in frames.windows(2) {
            assert_ne!(pair[0].links, pair[1].links);
            assert!(pair[0].links != pair[0].neurons, "one part a frame");
        }
        for f in 0..4 {
            assert_eq!(network_parts(f, editor_largest, false), NetworkParts::ALL);
            assert_eq!(network_parts(f, tfp_largest, true), NetworkParts::ALL);
        }
    }

    #[test]
    fn big_networks_on_the_cpu_observe_less_often_while_training() {
        let editor_largest = macs(&[vec![7], vec![16; 8], vec![1]].concat());
        let big = macs(&[vec![7], vec![16; 4], vec![1]].concat());
        let small = macs(&[2, 4, 2, 1]);
        let due = |playing, gpu, m| (0..6).filter(|&f| observe_due(f, m, playing, gpu)).count();
        assert_eq!(due(true, false, editor_largest), 2);
        assert_eq!(due(true, false, big), 3);
        assert_eq!(
            due(true, true, editor_largest),
            6,
            "a GPU's readback paces it"
        );
        assert_eq!(
            due(false, false, editor_largest),
            6,
            "at rest every change shows"
        );
        assert_eq!(due(true, false, small), 6);
    }

    #[test]
    fn big_networks_get_the_coarser_grid() {
        let full = emberlab_core::limits::GRID_SIZE;
        assert_eq!(grid_size(&[2, 4, 2, 1]), full, "the default network");
        let tfp_largest = [vec![7], vec![8; 6], vec![1]].concat();
        assert_eq!(grid_size(&tfp_largest), full);
        let editor_largest = [vec![7], vec![16; 8], vec![1]].concat();
        assert_eq!(grid_size(&editor_largest), BIG_NETWORK_GRID);
        assert_eq!(grid_size(&[]), full);
    }
}
