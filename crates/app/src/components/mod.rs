//! The page's panels. Each reads signals from [`crate::state::Playground`]; only the runner
//! changes training.

pub mod backend_badge;
pub mod controls;
pub mod data_panel;
pub mod hyper_bar;
pub mod loss_chart;
pub mod metrics_panel;
pub mod network_view;
pub mod notice;
pub mod output_panel;
pub mod weight_editor;
