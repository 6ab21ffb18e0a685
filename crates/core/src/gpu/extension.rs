//! The training kernel as a burn backend operation: implemented for burn's CubeCL back end
//! (WebGPU and the other GPU runtimes) and, lazily, for its fusion wrapper.

use burn::backend::tensor::FloatTensor;
use burn::backend::{Backend, Dispatch, backend_extension};
use burn::tensor::{DType, Shape, Tensor};
use burn_cubecl::CubeBackend;
use burn_cubecl::kernel::into_contiguous;
use burn_cubecl::ops::numeric::empty_device_dtype;
use cubecl::prelude::*;

use super::kernel::{UNITS, train};

/// Everything a dispatch needs besides its buffers.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainArgs {
    /// Learning rate.
    pub learning_rate: f32,
    /// L1 and L2 rates (0 when unused).
    pub l1: f32,
    pub l2: f32,
    /// Adam/AdamW steps taken before this dispatch (bias correction).
    pub adam_steps: f32,
    /// Largest batch (B), parameters (P), summed widths (T), widest layer (W), hidden
    /// neurons (H), features (F), outputs (K), and where X and Y start in the data buffer.
    pub batch: u32,
    pub params: u32,
    pub total: u32,
    pub widest: u32,
    pub hidden: u32,
    pub features: u32,
    pub outputs: u32,
    pub x_at: u32,
    pub y_at: u32,
    /// Compile-time shape of the kernel: layers, steps, and the loss, problem and optimiser
    /// codes of `super::kernel`, and whether any layer drops out.
    pub layers: usize,
    pub steps: usize,
    pub loss: u32,
    pub problem: u32,
    pub optimizer: u32,
    pub dropout: bool,
    /// Length of the work buffer.
    pub work_len: usize,
}

/// Training steps as one backend operation: returns the updated state.
#[backend_extension(Cube, Fusion)]
pub trait TrainOps: Backend {
    #[fusion(dtype = state, shape = state)]
    fn train_dense(
        state: FloatTensor<Self>,
        data: FloatTensor<Self>,
        schedule: FloatTensor<Self>,
        args: TrainArgs,
    ) -> FloatTensor<Self>;
}

impl TrainOps for CubeBackend {
    fn train_dense(
        state: FloatTensor<Self>,
        data: FloatTensor<Self>,
        schedule: FloatTensor<Self>,
        args: TrainArgs,
    ) -> FloatTensor<Self> {
        let state = into_contiguous(state);
        // Another reader may still hold the buffer: train a copy then.
        let state = if state.can_mut() { state } else { state.copy() };
        let data = into_contiguous(data);
        let schedule = into_contiguous(schedule);
        let work = empty_device_dtype(
            state.client.clone(),
            state.device.clone(),
            Shape::new([args.work_len]),
            DType::F32,
        );
        let client = state.client.clone();
        train::launch(
            &client,
            CubeCount::Static(1, 1, 1),
            CubeDim::new_1d(UNITS),
            state.clone().into_tensor_arg(),
            data.into_tensor_arg(),
            schedule.into_tensor_arg(),
            work.into_tensor_arg(),
            args.learning_rate,
            args.l1,
            args.l2,
            args.adam_steps,
            args.batch,
            args.params,
            args.total,
            args.widest,
            args.hidden,
            args.features,
            args.outputs,
            args.x_at,
            args.y_at,
            args.layers,
            args.steps,
            args.loss,
            args.problem,
            args.optimizer,
            args.dropout,
        );
        state
    }
}

/// Runs one dispatch of training steps on the tensors' device (a CubeCL device).
pub fn train_dense(
    state: Tensor<1>,
    data: Tensor<1>,
    schedule: Tensor<1>,
    args: TrainArgs,
) -> Tensor<1> {
    Tensor::from_dispatch(<Dispatch as TrainOps>::train_dense(
        state.into_dispatch(),
        data.into_dispatch(),
        schedule.into_dispatch(),
        args,
    ))
}
