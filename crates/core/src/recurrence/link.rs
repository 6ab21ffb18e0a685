//! The recurrence lab's link fields (v1). Keys never change; new fields get new keys.

use super::lab::RecurrenceLab;
use crate::lab::LabInfo;
use crate::link::LinkError;
use crate::link::lab_fields::{self, Field, keyed_field, number, number_field};
use crate::recurrence::{RecurrenceConfig, TaskKind};
use crate::training::OptimizerKind;

/// Every field, in link order.
const FIELDS: &[Field<RecurrenceConfig>] = &[
    number_field!("seed", seed),
    keyed_field!("task", task, TaskKind),
    number_field!("t", length),
    number_field!("symbols", symbols),
    number_field!("hidden", hidden),
    number_field!("train", train_size),
    number_field!("test", test_size),
    number_field!("batch", batch_size),
    keyed_field!("opt", optimizer, OptimizerKind),
    number_field!("lr", learning_rate),
    Field {
        key: "clip",
        write: |c| c.clip_norm.map_or("none".to_string(), |n| n.to_string()),
        read: |c, v| {
            c.clip_norm = if v == "none" { None } else { Some(number(v)?) };
            Ok(())
        },
    },
    number_field!("noise", noise),
    number_field!("keep", keep_bias),
];

/// Validation as the decoder needs it.
fn validate(config: &RecurrenceConfig) -> Result<(), String> {
    config.validate().map(|_| ()).map_err(|e| e.to_string())
}

impl LabInfo for RecurrenceLab {
    type State = RecurrenceConfig;
    const KEY: &'static str = "recurrence";
    const NAME: &'static str = "Recurrence";
    const SUMMARY: &'static str = "RNN, LSTM and GRU: memory and vanishing gradients";

    fn encode_link(config: &RecurrenceConfig) -> String {
        lab_fields::encode(config, FIELDS)
    }

    fn decode_link(body: &str) -> (RecurrenceConfig, Vec<LinkError>) {
        lab_fields::decode(body, FIELDS, validate)
    }
}
