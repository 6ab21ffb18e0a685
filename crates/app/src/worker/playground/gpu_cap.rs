//! How many steps the GPU kernel is given per frame at "as fast as possible": doubled while it
//! keeps up, halved when a readback waits too long (its queue would otherwise grow without
//! bound). Pure, so it is tested natively.

/// A readback slower than this halves the steps queued per frame.
const MAX_READBACK_WAIT_MS: f64 = 40.0;
/// Most optimiser steps queued in one frame.
const MAX_GPU_STEPS_PER_FRAME: usize = 4096;

/// How many steps a GPU is given per frame: doubled while it keeps up, halved when a readback
/// waits too long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GpuCap(usize);

impl Default for GpuCap {
    fn default() -> Self {
        Self(1)
    }
}

impl GpuCap {
    /// Steps allowed next frame.
    pub fn steps(self) -> usize {
        self.0
    }

    /// Adapts after a frame that queued `steps` and waited `wait_ms` for its readback.
    pub fn after_frame(&mut self, steps: u64, wait_ms: f64) {
        self.0 = if wait_ms > MAX_READBACK_WAIT_MS {
            (self.0 / 2).max(1)
        } else if steps as usize >= self.0 {
            (self.0 * 2).min(MAX_GPU_STEPS_PER_FRAME)
        } else {
            self.0
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gpu_cap_grows_while_the_device_keeps_up_and_halves_when_late() {
        let mut cap = GpuCap::default();
        cap.after_frame(1, 5.0);
        cap.after_frame(2, 5.0);
        assert_eq!(cap.steps(), 4);
        cap.after_frame(4, 80.0);
        assert_eq!(cap.steps(), 2);
        cap.after_frame(1, 5.0);
        assert_eq!(
            cap.steps(),
            2,
            "a frame that queued fewer steps does not grow it"
        );
        for _ in 0..20 {
            cap.after_frame(u64::MAX, 0.0);
        }
        assert_eq!(cap.steps(), MAX_GPU_STEPS_PER_FRAME);
    }
}
