//! Frame planning: how much each frame trains, from the play state, the speed and the step
//! button. Pure, so it is tested natively.

use emberlab_core::playground_state::Speed;

/// Hard limit on a frame's training in the fixed epochs-per-frame speeds and for a step: a big
/// network at "20 epochs / frame" finishes its epochs over several frames instead of freezing
/// the page.
pub const MAX_FIXED_SPEED_MS: f64 = 30.0;

/// Where a frame's training stops besides its time budget.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Limit {
    /// Stop at this epoch.
    pub epoch: Option<u64>,
    /// Stop after this many steps.
    pub steps: Option<usize>,
}

impl Limit {
    /// Stop at `epoch`.
    pub fn epoch(epoch: u64) -> Self {
        Self {
            epoch: Some(epoch),
            steps: None,
        }
    }

    /// Stop after `steps` steps.
    pub fn steps(steps: usize) -> Self {
        Self {
            epoch: None,
            steps: Some(steps),
        }
    }
}

/// One frame's training: a time budget and a limit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slice {
    /// Milliseconds the frame may train.
    pub budget_ms: f64,
    /// Where it stops anyway.
    pub limit: Limit,
}

/// What the runner remembers between frames to plan each one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FramePlan {
    /// Epoch a fixed-speed frame is heading for (kept when it needs several frames).
    fixed_target: Option<u64>,
    /// Epoch the step button is heading for.
    step_target: Option<u64>,
    /// Steps asked for and not started yet.
    step_requests: u32,
}

/// What the frame knows when it plans.
#[derive(Debug, Clone, Copy)]
pub struct FrameState {
    /// Whether training plays.
    pub playing: bool,
    /// The chosen pace.
    pub speed: Speed,
    /// Epochs completed.
    pub epoch: u64,
    /// Training time the frame budget allows (ms).
    pub budget_ms: f64,
    /// On a GPU: most steps to queue this frame.
    pub gpu_cap: Option<usize>,
}

impl FramePlan {
    /// The step button: one more epoch (queued behind one in progress).
    pub fn request_step(&mut self) {
        self.step_requests += 1;
    }

    /// Forgets every target (new run, play or pause).
    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// Whether a step is asked for or under way.
    pub fn stepping(&self) -> bool {
        self.step_requests > 0 || self.step_target.is_some()
    }

    /// This frame's training, if any.
    pub fn slice(&mut self, now: FrameState) -> Option<Slice> {
        if now.playing {
            return Some(match now.speed {
                Speed::EpochsPerFrame(n) => {
                    let target = *self.fixed_target.get_or_insert(now.epoch + n);
                    Slice {
                        budget_ms: MAX_FIXED_SPEED_MS,
                        limit: Limit::epoch(target),
                    }
                }
                // Queueing GPU work costs main-thread time too: the same budget applies, and
                // at most as many steps as the device kept up with.
                Speed::Max => Slice {
                    budget_ms: now.budget_ms,
                    limit: now.gpu_cap.map_or_else(Limit::default, Limit::steps),
                },
            });
        }
        if !self.stepping() {
            return None;
        }
        // One epoch per request, over several frames if it is long (a big batch on a slow
        // device), so even a step never freezes the page.
        let target = match self.step_target {
            Some(target) => target,
            None => {
                self.step_requests -= 1;
                now.epoch + 1
            }
        };
        self.step_target = Some(target);
        Some(Slice {
            budget_ms: MAX_FIXED_SPEED_MS,
            limit: Limit::epoch(target),
        })
    }

    /// After training: targets reached are done.
    pub fn trained(&mut self, epoch: u64) {
        if self.fixed_target.is_some_and(|t| epoch >= t) {
            self.fixed_target = None;
        }
        if self.step_target.is_some_and(|t| epoch >= t) {
            self.step_target = None;
        }
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

    fn at(playing: bool, speed: Speed, epoch: u64) -> FrameState {
        FrameState {
            playing,
            speed,
            epoch,
            budget_ms: 4.0,
            gpu_cap: None,
        }
    }

    #[test]
    fn fixed_speeds_keep_their_target_across_frames() {
        let mut plan = FramePlan::default();
        let slice = plan.slice(at(true, Speed::EpochsPerFrame(5), 10)).unwrap();
        assert_eq!(slice.limit, Limit::epoch(15));
        assert_eq!(slice.budget_ms, MAX_FIXED_SPEED_MS);
        plan.trained(12);
        // The next frame continues towards 15, not 12 + 5.
        assert_eq!(
            plan.slice(at(true, Speed::EpochsPerFrame(5), 12))
                .unwrap()
                .limit,
            Limit::epoch(15)
        );
        plan.trained(15);
        assert_eq!(
            plan.slice(at(true, Speed::EpochsPerFrame(5), 15))
                .unwrap()
                .limit,
            Limit::epoch(20)
        );
    }

    #[test]
    fn max_speed_uses_the_budget_and_the_gpu_cap() {
        let mut plan = FramePlan::default();
        let cpu = plan.slice(at(true, Speed::Max, 0)).unwrap();
        assert_eq!((cpu.budget_ms, cpu.limit), (4.0, Limit::default()));
        let gpu = plan
            .slice(FrameState {
                gpu_cap: Some(64),
                ..at(true, Speed::Max, 0)
            })
            .unwrap();
        assert_eq!(gpu.limit, Limit::steps(64));
    }

    #[test]
    fn each_step_is_exactly_one_epoch_and_paused_frames_do_nothing() {
        let mut plan = FramePlan::default();
        assert_eq!(plan.slice(at(false, Speed::Max, 3)), None);
        plan.request_step();
        plan.request_step();
        assert_eq!(
            plan.slice(at(false, Speed::Max, 3)).unwrap().limit,
            Limit::epoch(4)
        );
        plan.trained(3);
        assert_eq!(
            plan.slice(at(false, Speed::Max, 3)).unwrap().limit,
            Limit::epoch(4),
            "same step, unfinished"
        );
        plan.trained(4);
        assert_eq!(
            plan.slice(at(false, Speed::Max, 4)).unwrap().limit,
            Limit::epoch(5)
        );
        plan.trained(5);
        assert!(!plan.stepping());
        assert_eq!(plan.slice(at(false, Speed::Max, 5)), None);
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
