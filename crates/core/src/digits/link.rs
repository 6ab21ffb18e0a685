//! The convolution lab's link fields (v1). Keys never change; new fields get new keys.

use super::lab::DigitsLab;
use crate::digits::{DigitsConfig, Kernel};
use crate::lab::LabInfo;
use crate::link::LinkError;
use crate::link::lab_fields::{
    self, Field, flag_field, keyed_field, list, list_text, number_field,
};
use crate::network::Activation;
use crate::training::OptimizerKind;

/// Every field, in link order.
const FIELDS: &[Field<DigitsConfig>] = &[
    number_field!("seed", seed),
    number_field!("test", test_percent),
    Field {
        key: "conv",
        write: |c| list_text(&c.cnn.filters),
        read: |c, v| {
            c.cnn.filters = list(v)?;
            Ok(())
        },
    },
    keyed_field!("kernel", cnn.kernel, Kernel),
    flag_field!("pool", cnn.pool),
    keyed_field!("act", cnn.activation, Activation),
    number_field!("drop", cnn.dropout),
    Field {
        key: "dense",
        write: |c| list_text(&c.dense.hidden),
        read: |c, v| {
            c.dense.hidden = list(v)?;
            Ok(())
        },
    },
    keyed_field!("dact", dense.activation, Activation),
    number_field!("ddrop", dense.dropout),
    keyed_field!("opt", training.optimizer, OptimizerKind),
    number_field!("lr", training.learning_rate),
    number_field!("batch", training.batch_size),
];

/// Validation as the decoder needs it.
fn validate(config: &DigitsConfig) -> Result<(), String> {
    config.validate().map(|_| ()).map_err(|e| e.to_string())
}

impl LabInfo for DigitsLab {
    type State = DigitsConfig;
    const KEY: &'static str = "digits";
    const NAME: &'static str = "Convolution";
    const SUMMARY: &'static str = "a CNN learns handwritten digits";

    fn encode_link(config: &DigitsConfig) -> String {
        lab_fields::encode(config, FIELDS)
    }

    fn decode_link(body: &str) -> (DigitsConfig, Vec<LinkError>) {
        lab_fields::decode(body, FIELDS, validate)
    }
}
