//! What a config edit means for a running session: nothing, a live change, or a reset.

use emberlab_core::{ExperimentConfig, TrainingConfig};

/// How the runner must react to a new config.
#[derive(Debug, Clone, PartialEq)]
pub enum ConfigChange {
    /// Nothing that matters to training changed.
    None,
    /// Only training settings changed: apply them to the running session, keep the weights
    /// (as TensorFlow Playground does for learning rate, regularisation and batch size).
    Live(TrainingConfig),
    /// Data, features, network shape or seed changed: rebuild the session (same seed).
    Reset,
}

/// Classifies the edit from `old` to `new`.
pub fn classify(old: &ExperimentConfig, new: &ExperimentConfig) -> ConfigChange {
    let shape_or_data_changed = old.seed != new.seed
        || old.data != new.data
        || old.features != new.features
        || old.network != new.network;
    if shape_or_data_changed {
        ConfigChange::Reset
    } else if old.training != new.training {
        ConfigChange::Live(new.training)
    } else {
        ConfigChange::None
    }
}

/// Why an edit from `old` to `new` restarts training, in words for the restart notice.
pub fn restart_reason(old: &ExperimentConfig, new: &ExperimentConfig) -> &'static str {
    if old.network != new.network {
        "the network's shape, activation or dropout changed, so it was rebuilt"
    } else if old.features != new.features {
        "the input features changed, so the network was rebuilt"
    } else if old.data.kind != new.data.kind {
        "another data set was chosen"
    } else if old.seed != new.seed {
        "the data was regenerated"
    } else {
        "the data changed (noise, ratio, size or classes)"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use emberlab_core::{
        Activation, BatchSize, DatasetKind, Feature, LayerSpec, OptimizerKind, Regularization,
    };

    fn edited(edit: impl FnOnce(&mut ExperimentConfig)) -> ConfigChange {
        let old = ExperimentConfig::default();
        let mut new = old.clone();
        edit(&mut new);
        classify(&old, &new)
    }

    #[test]
    fn training_settings_apply_live() {
        for change in [
            edited(|c| c.training.learning_rate = 0.3),
            edited(|c| c.training.batch_size = BatchSize::Full),
            edited(|c| c.training.optimizer = OptimizerKind::Adam),
            edited(|c| {
                c.training.regularization = Regularization::L2;
                c.training.regularization_rate = 0.01;
            }),
        ] {
            assert!(matches!(change, ConfigChange::Live(_)), "{change:?}");
        }
        assert!(
            matches!(edited(|c| c.training.learning_rate = 0.3), ConfigChange::Live(t) if t.learning_rate == 0.3)
        );
    }

    #[test]
    fn data_features_shape_and_seed_reset() {
        for change in [
            edited(|c| c.data.kind = DatasetKind::Spiral),
            edited(|c| c.data.noise_percent = 10),
            edited(|c| c.features.toggle(Feature::SinX1)),
            edited(|c| c.network.hidden.push(LayerSpec::new(3, Activation::Relu))),
            edited(|c| c.network.hidden[0].activation = Activation::Relu),
            edited(|c| c.seed = 99),
        ] {
            assert_eq!(change, ConfigChange::Reset);
        }
    }

    #[test]
    fn restarts_say_why() {
        let old = ExperimentConfig::default();
        let mut new = old.clone();
        new.network.hidden[0].activation = Activation::Relu;
        assert!(restart_reason(&old, &new).contains("activation"));
        let mut new = old.clone();
        new.data.noise_percent = 5;
        assert!(restart_reason(&old, &new).contains("noise"));
    }

    #[test]
    fn no_edit_is_no_change() {
        assert_eq!(edited(|_| {}), ConfigChange::None);
    }
}
