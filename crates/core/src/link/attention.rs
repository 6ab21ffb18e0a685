//! The attention lab's link fields (v1). Keys never change; new fields get new keys.

use super::lab_fields::{Field, flag, keyed, number};
use crate::attention::{AttentionConfig, Positions, Task};
use crate::training::OptimizerKind;

/// Every field, in link order.
pub(crate) const FIELDS: &[Field<AttentionConfig>] = &[
    Field {
        key: "seed",
        write: |c| c.seed.to_string(),
        read: |c, v| {
            c.seed = number(v)?;
            Ok(())
        },
    },
    Field {
        key: "task",
        write: |c| c.task.key().to_string(),
        read: |c, v| {
            c.task = keyed(v, &Task::ALL, Task::key)?;
            Ok(())
        },
    },
    Field {
        key: "symbols",
        write: |c| c.symbols.to_string(),
        read: |c, v| {
            c.symbols = number(v)?;
            Ok(())
        },
    },
    Field {
        key: "minlen",
        write: |c| c.min_length.to_string(),
        read: |c, v| {
            c.min_length = number(v)?;
            Ok(())
        },
    },
    Field {
        key: "maxlen",
        write: |c| c.max_length.to_string(),
        read: |c, v| {
            c.max_length = number(v)?;
            Ok(())
        },
    },
    Field {
        key: "shift",
        write: |c| c.shift.to_string(),
        read: |c, v| {
            c.shift = number(v)?;
            Ok(())
        },
    },
    Field {
        key: "train",
        write: |c| c.train_size.to_string(),
        read: |c, v| {
            c.train_size = number(v)?;
            Ok(())
        },
    },
    Field {
        key: "test",
        write: |c| c.test_size.to_string(),
        read: |c, v| {
            c.test_size = number(v)?;
            Ok(())
        },
    },
    Field {
        key: "pos",
        write: |c| c.positions.key().to_string(),
        read: |c, v| {
            c.positions = keyed(v, &Positions::ALL, Positions::key)?;
            Ok(())
        },
    },
    Field {
        key: "layers",
        write: |c| c.layers.to_string(),
        read: |c, v| {
            c.layers = number(v)?;
            Ok(())
        },
    },
    Field {
        key: "heads",
        write: |c| c.heads.to_string(),
        read: |c, v| {
            c.heads = number(v)?;
            Ok(())
        },
    },
    Field {
        key: "width",
        write: |c| c.width.to_string(),
        read: |c, v| {
            c.width = number(v)?;
            Ok(())
        },
    },
    Field {
        key: "ff",
        write: |c| c.feed_forward.to_string(),
        read: |c, v| {
            c.feed_forward = number(v)?;
            Ok(())
        },
    },
    Field {
        key: "lstm",
        write: |c| u8::from(c.lstm).to_string(),
        read: |c, v| {
            c.lstm = flag(v)?;
            Ok(())
        },
    },
    Field {
        key: "lstmh",
        write: |c| c.lstm_hidden.to_string(),
        read: |c, v| {
            c.lstm_hidden = number(v)?;
            Ok(())
        },
    },
    Field {
        key: "opt",
        write: |c| c.optimizer.key().to_string(),
        read: |c, v| {
            c.optimizer = keyed(v, &OptimizerKind::ALL, OptimizerKind::key)?;
            Ok(())
        },
    },
    Field {
        key: "lr",
        write: |c| c.learning_rate.to_string(),
        read: |c, v| {
            c.learning_rate = number(v)?;
            Ok(())
        },
    },
    Field {
        key: "batch",
        write: |c| c.batch_size.to_string(),
        read: |c, v| {
            c.batch_size = number(v)?;
            Ok(())
        },
    },
];

/// Validation as the decoder needs it.
pub(crate) fn validate(config: &AttentionConfig) -> Result<(), String> {
    config.validate().map(|_| ()).map_err(|e| e.to_string())
}
