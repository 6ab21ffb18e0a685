//! The attention lab's link fields (v1). Keys never change; new fields get new keys.

use super::lab::AttentionLab;
use crate::attention::{AttentionConfig, Positions, Task};
use crate::lab::LabInfo;
use crate::link::LinkError;
use crate::link::lab_fields::{self, Field, flag_field, keyed_field, number_field};
use crate::training::OptimizerKind;

/// Every field, in link order.
const FIELDS: &[Field<AttentionConfig>] = &[
    number_field!("seed", seed),
    keyed_field!("task", task, Task),
    number_field!("symbols", symbols),
    number_field!("minlen", min_length),
    number_field!("maxlen", max_length),
    number_field!("shift", shift),
    number_field!("train", train_size),
    number_field!("test", test_size),
    keyed_field!("pos", positions, Positions),
    number_field!("layers", layers),
    number_field!("heads", heads),
    number_field!("width", width),
    number_field!("ff", feed_forward),
    flag_field!("lstm", lstm),
    number_field!("lstmh", lstm_hidden),
    keyed_field!("opt", optimizer, OptimizerKind),
    number_field!("lr", learning_rate),
    number_field!("batch", batch_size),
];

/// Validation as the decoder needs it.
fn validate(config: &AttentionConfig) -> Result<(), String> {
    config.validate().map(|_| ()).map_err(|e| e.to_string())
}

impl LabInfo for AttentionLab {
    type State = AttentionConfig;
    const KEY: &'static str = "attention";
    const NAME: &'static str = "Attention";
    const SUMMARY: &'static str = "a tiny transformer and where it looks";

    fn encode_link(config: &AttentionConfig) -> String {
        lab_fields::encode(config, FIELDS)
    }

    fn decode_link(body: &str) -> (AttentionConfig, Vec<LinkError>) {
        lab_fields::decode(body, FIELDS, validate)
    }
}
