//! Input features computed from a point's coordinates (x1, x2, x1², ...).

use serde::{Deserialize, Serialize};

/// One input feature of the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Feature {
    /// x1
    X1,
    /// x2
    X2,
    /// x1²
    X1Squared,
    /// x2²
    X2Squared,
    /// x1·x2
    X1TimesX2,
    /// sin x1
    SinX1,
    /// sin x2
    SinX2,
    /// cos x1
    CosX1,
    /// cos x2
    CosX2,
}

impl Feature {
    /// Every feature, in display order.
    pub const ALL: [Feature; 9] = [
        Feature::X1,
        Feature::X2,
        Feature::X1Squared,
        Feature::X2Squared,
        Feature::X1TimesX2,
        Feature::SinX1,
        Feature::SinX2,
        Feature::CosX1,
        Feature::CosX2,
    ];

    /// The label a learner reads.
    pub fn label(self) -> &'static str {
        match self {
            Feature::X1 => "x₁",
            Feature::X2 => "x₂",
            Feature::X1Squared => "x₁²",
            Feature::X2Squared => "x₂²",
            Feature::X1TimesX2 => "x₁x₂",
            Feature::SinX1 => "sin(x₁)",
            Feature::SinX2 => "sin(x₂)",
            Feature::CosX1 => "cos(x₁)",
            Feature::CosX2 => "cos(x₂)",
        }
    }

    /// The feature's value at `(x1, x2)`.
    pub fn value(self, x1: f32, x2: f32) -> f32 {
        match self {
            Feature::X1 => x1,
            Feature::X2 => x2,
            Feature::X1Squared => x1 * x1,
            Feature::X2Squared => x2 * x2,
            Feature::X1TimesX2 => x1 * x2,
            Feature::SinX1 => x1.sin(),
            Feature::SinX2 => x2.sin(),
            Feature::CosX1 => x1.cos(),
            Feature::CosX2 => x2.cos(),
        }
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

crate::stable_keys!(Feature {
    X1 => "x1",
    X2 => "x2",
    X1Squared => "x1sq",
    X2Squared => "x2sq",
    X1TimesX2 => "x1x2",
    SinX1 => "sinx1",
    SinX2 => "sinx2",
    CosX1 => "cosx1",
    CosX2 => "cosx2",
});

/// A set of enabled features, stored as a bit mask (compact in share links).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FeatureSet(u16);

impl Default for FeatureSet {
    /// x1 and x2, as TensorFlow Playground starts.
    fn default() -> Self {
        Self::from_features(&[Feature::X1, Feature::X2])
    }
}

impl FeatureSet {
    /// No feature at all (invalid for training, useful as a start).
    pub const EMPTY: FeatureSet = FeatureSet(0);

    /// Every feature.
    pub fn all() -> Self {
        Self::from_features(&Feature::ALL)
    }

    /// The set holding exactly `features`.
    pub fn from_features(features: &[Feature]) -> Self {
        Self(features.iter().fold(0, |mask, f| mask | f.bit()))
    }

    /// The raw mask (for share links); unknown bits are dropped by [`FeatureSet::from_bits`].
    pub fn bits(self) -> u16 {
        self.0
    }

    /// A set from a raw mask, ignoring bits that name no feature.
    pub fn from_bits(bits: u16) -> Self {
        Self(bits & Self::all().0)
    }

    /// Whether `feature` is enabled.
    pub fn contains(self, feature: Feature) -> bool {
        self.0 & feature.bit() != 0
    }

    /// Turns `feature` on or off.
    pub fn toggle(&mut self, feature: Feature) {
        self.0 ^= feature.bit();
    }

    /// Enabled features in display order.
    pub fn iter(self) -> impl Iterator<Item = Feature> {
        Feature::ALL.into_iter().filter(move |f| self.contains(*f))
    }

    /// Number of enabled features (the network's input width).
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Whether no feature is enabled.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Appends the enabled features of `(x1, x2)` to `out` (row-major input matrix).
    pub fn push_row(self, x1: f32, x2: f32, out: &mut Vec<f32>) {
        out.extend(self.iter().map(|f| f.value(x1, x2)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_follow_display_order() {
        let set = FeatureSet::from_features(&[Feature::SinX2, Feature::X1, Feature::X1TimesX2]);
        let mut row = Vec::new();
        set.push_row(2.0, 3.0, &mut row);
        assert_eq!(row, vec![2.0, 6.0, 3.0f32.sin()]);
        assert_eq!(set.len(), 3);
    }

    #[test]
    fn toggle_and_bits_round_trip() {
        let mut set = FeatureSet::default();
        set.toggle(Feature::X1);
        assert!(!set.contains(Feature::X1) && set.contains(Feature::X2));
        assert_eq!(FeatureSet::from_bits(set.bits()), set);
        assert_eq!(FeatureSet::from_bits(0xFFFF), FeatureSet::all());
        for f in Feature::ALL {
            assert_eq!(Feature::from_key(f.key()), Some(f));
        }
        assert!(FeatureSet::EMPTY.is_empty());
    }
}
