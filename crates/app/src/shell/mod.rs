//! What every lab shares, written once: the header (lab picker, sharing, back-end badge), the
//! transport controls, the loss chart, the notice overlay, and the [`lab::Lab`] interface
//! through which these reach the open lab.

pub mod backend_badge;
pub mod fields;
pub mod header;
pub mod lab;
pub mod loss_chart;
pub mod notice_overlay;
pub mod share;
pub mod transport;
pub mod worker_lab;
