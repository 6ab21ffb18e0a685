//! The convolution lab's link fields (v1). Keys never change; new fields get new keys.

use super::lab_fields::{Field, flag, keyed, list, list_text, number};
use crate::digits::{DigitsConfig, Kernel};
use crate::network::Activation;
use crate::training::OptimizerKind;

/// Every field, in link order.
pub(crate) const FIELDS: &[Field<DigitsConfig>] = &[
    Field {
        key: "seed",
        write: |c| c.seed.to_string(),
        read: |c, v| {
            c.seed = number(v)?;
            Ok(())
        },
    },
    Field {
        key: "test",
        write: |c| c.test_percent.to_string(),
        read: |c, v| {
            c.test_percent = number(v)?;
            Ok(())
        },
    },
    Field {
        key: "conv",
        write: |c| list_text(&c.cnn.filters),
        read: |c, v| {
            c.cnn.filters = list(v)?;
            Ok(())
        },
    },
    Field {
        key: "kernel",
        write: |c| c.cnn.kernel.key().to_string(),
        read: |c, v| {
            c.cnn.kernel = keyed(v, &Kernel::ALL, Kernel::key)?;
            Ok(())
        },
    },
    Field {
        key: "pool",
        write: |c| u8::from(c.cnn.pool).to_string(),
        read: |c, v| {
            c.cnn.pool = flag(v)?;
            Ok(())
        },
    },
    Field {
        key: "act",
        write: |c| c.cnn.activation.key().to_string(),
        read: |c, v| {
            c.cnn.activation = keyed(v, &Activation::ALL, Activation::key)?;
            Ok(())
        },
    },
    Field {
        key: "drop",
        write: |c| c.cnn.dropout.to_string(),
        read: |c, v| {
            c.cnn.dropout = number(v)?;
            Ok(())
        },
    },
    Field {
        key: "dense",
        write: |c| list_text(&c.dense.hidden),
        read: |c, v| {
            c.dense.hidden = list(v)?;
            Ok(())
        },
    },
    Field {
        key: "dact",
        write: |c| c.dense.activation.key().to_string(),
        read: |c, v| {
            c.dense.activation = keyed(v, &Activation::ALL, Activation::key)?;
            Ok(())
        },
    },
    Field {
        key: "ddrop",
        write: |c| c.dense.dropout.to_string(),
        read: |c, v| {
            c.dense.dropout = number(v)?;
            Ok(())
        },
    },
    Field {
        key: "opt",
        write: |c| c.training.optimizer.key().to_string(),
        read: |c, v| {
            c.training.optimizer = keyed(v, &OptimizerKind::ALL, OptimizerKind::key)?;
            Ok(())
        },
    },
    Field {
        key: "lr",
        write: |c| c.training.learning_rate.to_string(),
        read: |c, v| {
            c.training.learning_rate = number(v)?;
            Ok(())
        },
    },
    Field {
        key: "batch",
        write: |c| c.training.batch_size.to_string(),
        read: |c, v| {
            c.training.batch_size = number(v)?;
            Ok(())
        },
    },
];

/// Validation as the decoder needs it.
pub(crate) fn validate(config: &DigitsConfig) -> Result<(), String> {
    config.validate().map(|_| ()).map_err(|e| e.to_string())
}
