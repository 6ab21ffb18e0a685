//! Seeded 2-D data sets on `[-DOMAIN, DOMAIN]²`, split into train and test points.

use serde::{Deserialize, Serialize};
use std::f32::consts::{PI, TAU};

use crate::custom_data::CustomData;
use crate::limits::DOMAIN;
pub use crate::points::{Dataset, Point};
use crate::problem::Problem;
use crate::rng::Rng;

/// Where a data set's points come from: a seeded generator, or the user's own points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DatasetKind {
    /// A disc inside a ring.
    Circle,
    /// Quadrants with opposite signs.
    Xor,
    /// Two Gaussian clouds.
    Gaussian,
    /// Two interleaved spirals.
    Spiral,
    /// Two interleaving half moons.
    Moons,
    /// A 4×4 checkerboard.
    Checkerboard,
    /// 3–5 Gaussian clouds, one per class.
    Blobs,
    /// 3–5 concentric rings, one per class.
    Rings,
    /// Regression: a tilted plane.
    Plane,
    /// Regression: a sum of Gaussian bumps of both signs.
    MultiGaussian,
    /// The user's own points, drawn or imported ([`DataConfig::custom`]).
    Custom,
}

impl DatasetKind {
    /// Every seeded generator, in the order the UI lists them (the data-set thumbnails).
    pub const GENERATORS: [DatasetKind; 10] = [
        DatasetKind::Circle,
        DatasetKind::Xor,
        DatasetKind::Gaussian,
        DatasetKind::Spiral,
        DatasetKind::Moons,
        DatasetKind::Checkerboard,
        DatasetKind::Blobs,
        DatasetKind::Rings,
        DatasetKind::Plane,
        DatasetKind::MultiGaussian,
    ];

    /// Every choice: the generators, then the user's own points.
    pub const ALL: [DatasetKind; 11] = [
        DatasetKind::Circle,
        DatasetKind::Xor,
        DatasetKind::Gaussian,
        DatasetKind::Spiral,
        DatasetKind::Moons,
        DatasetKind::Checkerboard,
        DatasetKind::Blobs,
        DatasetKind::Rings,
        DatasetKind::Plane,
        DatasetKind::MultiGaussian,
        DatasetKind::Custom,
    ];

    /// A short human name.
    pub fn name(self) -> &'static str {
        match self {
            DatasetKind::Circle => "circle",
            DatasetKind::Xor => "xor",
            DatasetKind::Gaussian => "gaussian",
            DatasetKind::Spiral => "spiral",
            DatasetKind::Moons => "moons",
            DatasetKind::Checkerboard => "checkerboard",
            DatasetKind::Blobs => "blobs",
            DatasetKind::Rings => "rings",
            DatasetKind::Plane => "plane",
            DatasetKind::MultiGaussian => "multi-gaussian",
            DatasetKind::Custom => "your own points",
        }
    }

    /// What kind of problem this generator poses (`classes` for blobs and rings). The user's
    /// own points carry their problem with them: ask [`DataConfig::problem`], which knows them
    /// (this says binary for `Custom`).
    pub fn problem(self, classes: usize) -> Problem {
        match self {
            DatasetKind::Blobs | DatasetKind::Rings => Problem::Multiclass { classes },
            DatasetKind::Plane | DatasetKind::MultiGaussian => Problem::Regression,
            _ => Problem::Binary,
        }
    }

    /// Whether the points come from a seeded generator (everything but `Custom`).
    pub fn is_generated(self) -> bool {
        self != DatasetKind::Custom
    }
}

crate::stable_keys!(DatasetKind {
    Circle => "circle",
    Xor => "xor",
    Gaussian => "gaussian",
    Spiral => "spiral",
    Moons => "moons",
    Checkerboard => "checkerboard",
    Blobs => "blobs",
    Rings => "rings",
    Plane => "plane",
    MultiGaussian => "multi-gaussian",
    Custom => "custom",
});

/// Where the points come from and how they are split.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataConfig {
    /// Which generator, or `Custom` for [`DataConfig::custom`].
    pub kind: DatasetKind,
    /// Number of generated points, train and test together.
    pub size: usize,
    /// Noise of generated sets, in percent (0–50).
    pub noise_percent: u32,
    /// Share of points used for training, in percent (also for the user's own points).
    pub train_percent: u32,
    /// Number of classes of the multi-class generators.
    pub classes: usize,
    /// The user's own points, used when `kind` is `Custom` (kept, unused, while a generator is
    /// picked, so a drawing survives a look at another data set).
    #[serde(default)]
    pub custom: CustomData,
}

impl Default for DataConfig {
    fn default() -> Self {
        Self {
            kind: DatasetKind::Circle,
            size: 500,
            noise_percent: 0,
            train_percent: 50,
            classes: 3,
            custom: CustomData::default(),
        }
    }
}

impl DataConfig {
    /// Number of points, train and test together: `size`, or the user's own points.
    pub fn point_count(&self) -> usize {
        match self.kind {
            DatasetKind::Custom => self.custom.points.len(),
            _ => self.size,
        }
    }

    /// Number of training points this config yields (at least one).
    pub fn train_count(&self) -> usize {
        let size = self.point_count();
        (size * self.train_percent as usize / 100).clamp(1, size.saturating_sub(1).max(1))
    }

    /// What kind of problem the points pose.
    pub fn problem(&self) -> Problem {
        match self.kind {
            DatasetKind::Custom => self.custom.problem,
            kind => kind.problem(self.classes),
        }
    }

    /// The points, split into train and test by a seeded shuffle: same config and seed, same
    /// points and split (the user's own points too). Expects a validated config.
    pub fn generate(&self, seed: u64) -> Dataset {
        let mut rng = Rng::new(seed ^ 0xDA7A);
        let noise = self.noise_percent as f32 / 100.0;
        let mut points = match self.kind {
            DatasetKind::Circle => circle(&mut rng, self.size, noise),
            DatasetKind::Xor => xor(&mut rng, self.size, noise),
            DatasetKind::Gaussian => gaussian(&mut rng, self.size, noise),
            DatasetKind::Spiral => spiral(&mut rng, self.size, noise),
            DatasetKind::Moons => moons(&mut rng, self.size, noise),
            DatasetKind::Checkerboard => checkerboard(&mut rng, self.size, noise),
            DatasetKind::Blobs => blobs(&mut rng, self.size, noise, self.classes),
            DatasetKind::Rings => rings(&mut rng, self.size, noise, self.classes),
            DatasetKind::Plane => plane(&mut rng, self.size, noise),
            DatasetKind::MultiGaussian => multi_gaussian(&mut rng, self.size, noise),
            DatasetKind::Custom => self.custom.points.clone(),
        };
        rng.shuffle(&mut points);
        let test = points.split_off(self.train_count().min(points.len()));
        Dataset {
            train: points,
            test,
            problem: self.problem(),
        }
    }
}

fn point(x: f32, y: f32, label: f32) -> Point {
    Point { x, y, label }
}

fn binary(positive: bool) -> f32 {
    if positive { 1.0 } else { 0.0 }
}

/// Disc (class 1) inside a ring (class 0); noise relabels points near the border, as in
/// TensorFlow Playground.
fn circle(rng: &mut Rng, n: usize, noise: f32) -> Vec<Point> {
    let radius = 5.0;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let (r_low, r_high) = if i < n / 2 {
            (0.0, radius * 0.5)
        } else {
            (radius * 0.7, radius)
        };
        let r = rng.uniform(r_low, r_high);
        let angle = rng.uniform(0.0, TAU);
        let (x, y) = (r * angle.sin(), r * angle.cos());
        let nx = rng.uniform(-radius, radius) * noise;
        let ny = rng.uniform(-radius, radius) * noise;
        let inside = ((x + nx).powi(2) + (y + ny).powi(2)).sqrt() < radius * 0.5;
        out.push(point(x, y, binary(inside)));
    }
    out
}

fn xor(rng: &mut Rng, n: usize, noise: f32) -> Vec<Point> {
    let padding = 0.3;
    (0..n)
        .map(|_| {
            let mut x = rng.uniform(-5.0, 5.0);
            x += if x > 0.0 { padding } else { -padding };
            let mut y = rng.uniform(-5.0, 5.0);
            y += if y > 0.0 { padding } else { -padding };
            let nx = rng.uniform(-5.0, 5.0) * noise;
            let ny = rng.uniform(-5.0, 5.0) * noise;
            point(x, y, binary((x + nx) * (y + ny) >= 0.0))
        })
        .collect()
}

fn gaussian(rng: &mut Rng, n: usize, noise: f32) -> Vec<Point> {
    // Variance grows from 0.5 to 4 with noise, as in TensorFlow Playground.
    let std = (0.5 + 7.0 * noise).sqrt();
    (0..n)
        .map(|i| {
            let (c, label) = if i < n / 2 { (2.0, 1.0) } else { (-2.0, 0.0) };
            point(c + std * rng.normal(), c + std * rng.normal(), label)
        })
        .collect()
}

fn spiral(rng: &mut Rng, n: usize, noise: f32) -> Vec<Point> {
    let half = (n / 2).max(1);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let (k, delta, label) = if i < half {
            (i, 0.0, 1.0)
        } else {
            (i - half, PI, 0.0)
        };
        let f = k as f32 / half as f32;
        let r = f * 5.0;
        let t = 1.75 * f * TAU + delta;
        let x = r * t.sin() + rng.uniform(-1.0, 1.0) * noise;
        let y = r * t.cos() + rng.uniform(-1.0, 1.0) * noise;
        out.push(point(x, y, label));
    }
    out
}

fn moons(rng: &mut Rng, n: usize, noise: f32) -> Vec<Point> {
    let scale = 3.5;
    (0..n)
        .map(|i| {
            let theta = rng.uniform(0.0, PI);
            let (x, y, label) = if i < n / 2 {
                (theta.cos(), theta.sin(), 1.0)
            } else {
                (1.0 - theta.cos(), 0.5 - theta.sin(), 0.0)
            };
            let x = (x - 0.5) * scale + 3.0 * noise * rng.normal();
            let y = (y - 0.25) * scale + 3.0 * noise * rng.normal();
            point(x, y, label)
        })
        .collect()
}

fn checkerboard(rng: &mut Rng, n: usize, noise: f32) -> Vec<Point> {
    let cell = DOMAIN / 2.0;
    (0..n)
        .map(|_| {
            let x = rng.uniform(-DOMAIN, DOMAIN);
            let y = rng.uniform(-DOMAIN, DOMAIN);
            let nx = rng.uniform(-cell, cell) * noise;
            let ny = rng.uniform(-cell, cell) * noise;
            let parity = ((x + nx) / cell).floor() as i32 + ((y + ny) / cell).floor() as i32;
            point(x, y, binary(parity.rem_euclid(2) == 0))
        })
        .collect()
}

fn blobs(rng: &mut Rng, n: usize, noise: f32, classes: usize) -> Vec<Point> {
    let classes = classes.max(1);
    let std = 0.6 + 4.0 * noise;
    (0..n)
        .map(|i| {
            let class = i % classes;
            let angle = TAU * class as f32 / classes as f32 + PI / 2.0;
            let (cx, cy) = (3.5 * angle.cos(), 3.5 * angle.sin());
            point(
                cx + std * rng.normal(),
                cy + std * rng.normal(),
                class as f32,
            )
        })
        .collect()
}

/// Radius of the outermost ring.
const RINGS_RADIUS: f32 = 5.5;

/// One ring per class around the origin, class 0 innermost. Each ring fills the middle 60 % of
/// its band, so classes are apart without noise; noise spreads the radius (a normal draw whose
/// spread is `noise` band widths), so neighbouring rings overlap as it grows.
fn rings(rng: &mut Rng, n: usize, noise: f32, classes: usize) -> Vec<Point> {
    let classes = classes.max(1);
    let band = RINGS_RADIUS / classes as f32;
    (0..n)
        .map(|i| {
            let class = i % classes;
            let inner = (class as f32 + 0.2) * band;
            let r = rng.uniform(inner, inner + 0.6 * band) + noise * band * rng.normal();
            let angle = rng.uniform(0.0, TAU);
            point(r.abs() * angle.cos(), r.abs() * angle.sin(), class as f32)
        })
        .collect()
}

fn plane(rng: &mut Rng, n: usize, noise: f32) -> Vec<Point> {
    (0..n)
        .map(|_| {
            let x = rng.uniform(-DOMAIN, DOMAIN);
            let y = rng.uniform(-DOMAIN, DOMAIN);
            let nx = rng.uniform(-DOMAIN, DOMAIN) * noise;
            let ny = rng.uniform(-DOMAIN, DOMAIN) * noise;
            point(x, y, ((x + nx + y + ny) / (2.0 * DOMAIN)).clamp(-1.0, 1.0))
        })
        .collect()
}

/// Signed bumps at fixed centres (TensorFlow Playground's layout).
const BUMPS: [(f32, f32, f32); 6] = [
    (-4.0, 2.5, 1.0),
    (0.0, 2.5, -1.0),
    (4.0, 2.5, 1.0),
    (-4.0, -2.5, -1.0),
    (0.0, -2.5, 1.0),
    (4.0, -2.5, -1.0),
];

/// The noiseless multi-Gaussian surface at a point.
pub fn multi_gaussian_value(x: f32, y: f32) -> f32 {
    BUMPS
        .iter()
        .map(|&(cx, cy, sign)| sign * (-((x - cx).powi(2) + (y - cy).powi(2)) / 2.0).exp())
        .sum::<f32>()
        .clamp(-1.0, 1.0)
}

fn multi_gaussian(rng: &mut Rng, n: usize, noise: f32) -> Vec<Point> {
    (0..n)
        .map(|_| {
            let x = rng.uniform(-DOMAIN, DOMAIN);
            let y = rng.uniform(-DOMAIN, DOMAIN);
            let nx = rng.uniform(-DOMAIN, DOMAIN) * noise;
            let ny = rng.uniform(-DOMAIN, DOMAIN) * noise;
            point(x, y, multi_gaussian_value(x + nx, y + ny))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(kind: DatasetKind) -> DataConfig {
        DataConfig {
            kind,
            noise_percent: 20,
            ..DataConfig::default()
        }
    }

    #[test]
    fn every_set_has_the_asked_size_split_and_stays_near_the_domain() {
        for kind in DatasetKind::GENERATORS {
            let data = config(kind).generate(1);
            assert_eq!(data.train.len(), 250, "{kind:?}");
            assert_eq!(data.test.len(), 250, "{kind:?}");
            for p in data.train.iter().chain(&data.test) {
                assert!(p.x.is_finite() && p.y.is_finite() && p.label.is_finite());
                assert!(
                    p.x.abs() < 2.0 * DOMAIN && p.y.abs() < 2.0 * DOMAIN,
                    "{kind:?} {p:?}"
                );
            }
        }
    }

    #[test]
    fn labels_fit_the_problem() {
        for kind in DatasetKind::GENERATORS {
            let cfg = DataConfig {
                classes: 4,
                ..config(kind)
            };
            let data = cfg.generate(2);
            let labels: Vec<f32> = data.train.iter().map(|p| p.label).collect();
            match data.problem {
                Problem::Binary => {
                    assert!(labels.iter().all(|&l| l == 0.0 || l == 1.0));
                    assert!(labels.contains(&0.0) && labels.contains(&1.0), "{kind:?}");
                }
                Problem::Multiclass { classes } => {
                    assert_eq!(classes, 4);
                    for c in 0..4 {
                        assert!(labels.contains(&(c as f32)));
                    }
                }
                Problem::Regression => {
                    assert!(labels.iter().all(|l| (-1.0..=1.0).contains(l)));
                    assert!(labels.iter().any(|&l| l > 0.2) && labels.iter().any(|&l| l < -0.2));
                }
            }
        }
    }

    #[test]
    fn same_seed_same_points_other_seed_other_points() {
        let cfg = config(DatasetKind::Spiral);
        assert_eq!(cfg.generate(5), cfg.generate(5));
        assert_ne!(cfg.generate(5), cfg.generate(6));
    }

    #[test]
    fn rings_put_each_class_in_its_own_band() {
        for classes in 3..=5 {
            let cfg = DataConfig {
                kind: DatasetKind::Rings,
                classes,
                size: 600,
                ..DataConfig::default()
            };
            let data = cfg.generate(4);
            let band = RINGS_RADIUS / classes as f32;
            let mut counts = vec![0; classes];
            for p in data.train.iter().chain(&data.test) {
                let class = p.label as usize;
                counts[class] += 1;
                let r = p.x.hypot(p.y) / band - class as f32;
                assert!((0.19..=0.81).contains(&r), "{classes} classes: {p:?}");
            }
            assert!(counts.iter().all(|&c| c == 600 / classes), "{counts:?}");
        }
        let noisy = DataConfig {
            kind: DatasetKind::Rings,
            noise_percent: 50,
            ..DataConfig::default()
        };
        let data = noisy.generate(4);
        let band = RINGS_RADIUS / 3.0;
        let strays = data
            .train
            .iter()
            .filter(|p| (p.x.hypot(p.y) / band).floor() as usize != p.label as usize)
            .count();
        assert!(
            strays > 25,
            "noise moves points out of their band: {strays}"
        );
    }

    #[test]
    fn train_ratio_and_size_are_respected() {
        let cfg = DataConfig {
            size: 2000,
            train_percent: 80,
            ..DataConfig::default()
        };
        let data = cfg.generate(0);
        assert_eq!((data.train.len(), data.test.len()), (1600, 400));
    }
}
