//! [`Driver`]: a lab's run as every host drives it, written once. It owns the session, plays,
//! steps to the end of an epoch, trains in time slices, measures throughput, says when an
//! observation is due, watches the loss with the divergence guard and keeps the last sane
//! checkpoint to go back to. Hosts (the page's worker, native tests) only move messages and
//! await the futures it hands out: the futures own what they read, so no borrow of the driver
//! is held across an await.

use burn::tensor::Device;

use super::Steps;
use super::guard::DivergenceGuard;
use super::hosted::{HostedSession, LabCheckpoint, LabObservation, LabRequest, LabSetup};
use super::lab::Pending;

/// Time between two observations while training.
pub const OBSERVE_EVERY_MS: f64 = 100.0;
/// Length of the window epochs/s and ms/step are measured over.
const THROUGHPUT_WINDOW_MS: f64 = 2000.0;

/// One observation with what the page shows beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Observed {
    /// The lab's results.
    pub observation: LabObservation,
    /// Whether training plays (or steps).
    pub playing: bool,
    /// Epochs per second over the last window (0 while paused).
    pub epochs_per_second: f64,
    /// Milliseconds per optimiser step over the last window.
    pub ms_per_step: f64,
}

/// What the guard made of an observation.
pub enum Watch {
    /// The loss is sane; keep this checkpoint (of this epoch) as the last good state once read.
    Sane(Option<(u64, Pending<LabCheckpoint>)>),
    /// Training diverged: it was paused; the text says why and what to try. Call
    /// [`Driver::recover`] to go back to the last good state.
    Diverged(String),
}

/// Epochs and steps per second over a sliding window.
#[derive(Debug, Clone, Copy, Default)]
struct Throughput {
    /// (time, epoch, steps) at the window's start.
    start: Option<(f64, u64, u64)>,
    /// (epochs/s, ms/step).
    rate: (f64, f64),
}

impl Throughput {
    fn measure(&mut self, now: f64, epoch: u64, steps: u64) {
        let Some((t0, e0, s0)) = self.start else {
            self.start = Some((now, epoch, steps));
            return;
        };
        let elapsed = now - t0;
        if elapsed > 0.0 {
            let taken = steps.saturating_sub(s0);
            self.rate = (
                epoch.saturating_sub(e0) as f64 * 1000.0 / elapsed,
                if taken > 0 {
                    elapsed / taken as f64
                } else {
                    0.0
                },
            );
        }
        if elapsed > THROUGHPUT_WINDOW_MS {
            self.start = Some((now, epoch, steps));
        }
    }
}

/// A lab's run: its session and everything a host needs around it.
#[derive(Default)]
pub struct Driver {
    session: Option<HostedSession>,
    setup: Option<LabSetup>,
    device: Option<Device>,
    playing: bool,
    /// Epoch the step button is heading for.
    step_target: Option<u64>,
    request: Option<LabRequest>,
    /// An observation is due now (new session, new request, paused after a step).
    dirty: bool,
    observed_ms: f64,
    throughput: Throughput,
    guard: DivergenceGuard<()>,
    /// The last checkpoint whose loss was sane, with its epoch.
    last_good: Option<(u64, LabCheckpoint)>,
}

impl Driver {
    /// Builds (or rebuilds) the session for `setup` on `device`, paused, continuing from
    /// `resume` if given. On an error the previous session (if any) stays.
    pub fn open(
        &mut self,
        setup: LabSetup,
        device: Device,
        resume: Option<LabCheckpoint>,
    ) -> Result<(), String> {
        let session = setup.open(device.clone(), resume.as_ref())?;
        self.last_good = resume.map(|c| (session.epoch(), c));
        self.session = Some(session);
        self.setup = Some(setup);
        self.device = Some(device);
        self.playing = false;
        self.step_target = None;
        self.dirty = true;
        self.throughput = Throughput::default();
        self.guard = DivergenceGuard::new();
        Ok(())
    }

    /// The experiment being trained.
    pub fn setup(&self) -> Option<&LabSetup> {
        self.setup.as_ref()
    }

    /// The device the session trains on.
    pub fn device(&self) -> Option<&Device> {
        self.device.as_ref()
    }

    /// Epochs completed (0 without a session).
    pub fn epoch(&self) -> u64 {
        self.session.as_ref().map_or(0, |s| s.epoch())
    }

    /// Whether training plays or steps.
    pub fn playing(&self) -> bool {
        self.playing || self.step_target.is_some()
    }

    /// Plays or pauses.
    pub fn play(&mut self, playing: bool) {
        self.playing = playing;
        self.step_target = None;
        self.throughput = Throughput::default();
        self.dirty = true;
    }

    /// Trains exactly one more epoch, then pauses (a second press: one more).
    pub fn step_epoch(&mut self) {
        self.playing = false;
        let epoch = self.epoch();
        self.step_target = Some(self.step_target.map_or(epoch + 1, |t| t + 1));
    }

    /// Changes the learning rate live.
    pub fn set_learning_rate(&mut self, rate: f64) -> Result<(), String> {
        match self.session.as_mut() {
            Some(session) => session.set_learning_rate(rate),
            None => Ok(()),
        }
    }

    /// What later observations show.
    pub fn set_request(&mut self, request: LabRequest) {
        self.request = Some(request);
        self.dirty = true;
    }

    /// Trains for up to `slice_ms` (by `now_ms`) if playing or stepping; whether it trained.
    pub fn train_slice(&mut self, now_ms: &dyn Fn() -> f64, slice_ms: f64) -> bool {
        let Some(session) = self.session.as_mut() else {
            return false;
        };
        if !self.playing && self.step_target.is_none() {
            return false;
        }
        let start = now_ms();
        if self.throughput.start.is_none() {
            self.throughput
                .measure(start, session.epoch(), session.steps());
        }
        loop {
            if let Some(target) = self.step_target
                && session.epoch() >= target
            {
                self.step_target = None;
                self.dirty = true;
                break;
            }
            session.train_steps(1);
            if now_ms() - start >= slice_ms {
                break;
            }
        }
        self.throughput
            .measure(now_ms(), session.epoch(), session.steps());
        true
    }

    /// Whether an observation is due at `now_ms` (`trained`: the last slice trained).
    pub fn observation_due(&self, now_ms: f64, trained: bool) -> bool {
        self.session.is_some()
            && (self.dirty || (trained && now_ms - self.observed_ms >= OBSERVE_EVERY_MS))
    }

    /// Queues an observation; complete it with [`Driver::observed`].
    pub fn queue_observation(&mut self, now_ms: f64) -> Option<Pending<LabObservation>> {
        self.dirty = false;
        self.observed_ms = now_ms;
        let request = match (&self.request, &self.setup) {
            (Some(r), _) => r.clone(),
            (None, Some(setup)) => setup.default_request(),
            (None, None) => return None,
        };
        Some(self.session.as_mut()?.observe(&request, now_ms))
    }

    /// The observation read back, with what the page shows beside it.
    pub fn observed(&self, observation: LabObservation) -> Observed {
        let playing = self.playing();
        Observed {
            observation,
            playing,
            epochs_per_second: if playing { self.throughput.rate.0 } else { 0.0 },
            ms_per_step: self.throughput.rate.1,
        }
    }

    /// Pauses after a failure the host reports (e.g. a failed read-back).
    pub fn pause(&mut self) {
        self.playing = false;
        self.step_target = None;
    }

    /// Checks an observation's loss with the divergence guard.
    pub fn watch(&mut self, observation: &LabObservation) -> Watch {
        let Some(loss) = observation.train_loss() else {
            return Watch::Sane(None);
        };
        let epoch = self.epoch();
        if let Some(divergence) = self.guard.check(epoch, loss, || ()) {
            self.pause();
            return Watch::Diverged(divergence.explain());
        }
        let fresh = self.last_good.as_ref().is_none_or(|(e, _)| *e != epoch);
        let pending = fresh
            .then(|| self.session.as_ref().map(|s| (epoch, s.checkpoint())))
            .flatten();
        Watch::Sane(pending)
    }

    /// Keeps `checkpoint` (read at `epoch`) as the last good state.
    pub fn keep_good(&mut self, epoch: u64, checkpoint: LabCheckpoint) {
        self.last_good = Some((epoch, checkpoint));
    }

    /// The last checkpoint whose loss was sane, with its epoch.
    pub fn last_good(&self) -> Option<&(u64, LabCheckpoint)> {
        self.last_good.as_ref()
    }

    /// Goes back to the last good state after a divergence (a fresh start if there is none),
    /// paused.
    pub fn recover(&mut self) -> Result<(), String> {
        let (Some(setup), Some(device)) = (self.setup.clone(), self.device.clone()) else {
            return Ok(());
        };
        let last = self.last_good.as_ref().map(|(_, c)| c.clone());
        self.open(setup, device, last)
    }

    /// Queues a read of the parameters (none without a session).
    pub fn checkpoint(&self) -> Option<Pending<LabCheckpoint>> {
        self.session.as_ref().map(|s| s.checkpoint())
    }
}
