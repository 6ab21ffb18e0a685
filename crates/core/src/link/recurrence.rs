//! The recurrence lab's link fields (v1). Keys never change; new fields get new keys.

use super::lab_fields::{Field, keyed, number};
use crate::recurrence::{RecurrenceConfig, TaskKind};
use crate::training::OptimizerKind;

/// Every field, in link order.
pub(crate) const FIELDS: &[Field<RecurrenceConfig>] = &[
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
            c.task = keyed(v, &TaskKind::ALL, TaskKind::key)?;
            Ok(())
        },
    },
    Field {
        key: "t",
        write: |c| c.length.to_string(),
        read: |c, v| {
            c.length = number(v)?;
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
        key: "hidden",
        write: |c| c.hidden.to_string(),
        read: |c, v| {
            c.hidden = number(v)?;
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
        key: "batch",
        write: |c| c.batch_size.to_string(),
        read: |c, v| {
            c.batch_size = number(v)?;
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
        key: "clip",
        write: |c| c.clip_norm.map_or("none".to_string(), |n| n.to_string()),
        read: |c, v| {
            c.clip_norm = if v == "none" { None } else { Some(number(v)?) };
            Ok(())
        },
    },
    Field {
        key: "noise",
        write: |c| c.noise.to_string(),
        read: |c, v| {
            c.noise = number(v)?;
            Ok(())
        },
    },
    Field {
        key: "keep",
        write: |c| c.keep_bias.to_string(),
        read: |c, v| {
            c.keep_bias = number(v)?;
            Ok(())
        },
    },
];

/// Validation as the decoder needs it.
pub(crate) fn validate(config: &RecurrenceConfig) -> Result<(), String> {
    config.validate().map(|_| ()).map_err(|e| e.to_string())
}
