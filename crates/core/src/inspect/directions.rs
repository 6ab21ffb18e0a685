//! The plane of a loss-landscape slice: two directions in weight space through the current
//! weights, and where a weight path lies on it.
//!
//! Random directions are filter-normalised (Li et al. 2018, "Visualizing the Loss Landscape
//! of Neural Nets"): in every layer, each neuron's incoming weights in the direction are
//! scaled to the length of that neuron's incoming weights now. A step of 1 along the
//! direction then changes every neuron by as much as its own size, so slices of networks
//! with differently scaled weights (e.g. ReLU nets, which are scale invariant layer to layer)
//! look alike. Bias directions are zero, as in the examples published with the paper's code
//! (`--xignore biasbn`): a bias has no "filter" whose length could scale it.
//!
//! A training path moves along few directions, which two random ones almost never catch (on
//! the 2×8 spiral net a random plane holds ~2 % of a path's squared length): to show a path,
//! [`Directions::principal`] takes its two principal components instead (the paper's §7).

use serde::{Deserialize, Serialize};

use super::evaluation::{flatten, unflatten};
use crate::model::LayerWeights;
use crate::rng::Rng;

/// Stream of the landscape directions (so they do not share draws with anything else).
const DIRECTION_STREAM: u64 = 0x1A4D_5CA9;

/// Two directions in weight space, shaped like the weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Directions {
    /// The first axis (α).
    pub first: Vec<LayerWeights>,
    /// The second axis (β).
    pub second: Vec<LayerWeights>,
}

/// A weight path on the plane of two directions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PathProjection {
    /// Per path point, its (α, β) coordinates: the closest point of the plane through the
    /// centre (least squares, so exact even where the directions are not orthogonal).
    pub coordinates: Vec<(f32, f32)>,
    /// Share of the path's squared distance from the centre that lies in the plane (0 to 1):
    /// near 0, the path moves mostly along directions the slice does not show.
    pub captured: f32,
}

impl PathProjection {
    /// The largest |α| or |β| of the path: a slice with a radius a little above it shows the
    /// whole path.
    pub fn extent(&self) -> f32 {
        self.coordinates
            .iter()
            .fold(0.0f32, |m, &(a, b)| m.max(a.abs()).max(b.abs()))
    }
}

impl Directions {
    /// Two seeded Gaussian directions, filter-normalised to `weights`, with zero biases (a
    /// neuron whose incoming weights are all zero gets a zero direction too).
    pub fn random(weights: &[LayerWeights], seed: u64) -> Self {
        let mut rng = Rng::new(seed ^ DIRECTION_STREAM);
        let first = random_direction(weights, &mut rng);
        let second = random_direction(weights, &mut rng);
        Self { first, second }
    }

    /// The two directions along which `path` varies most: the first two principal components
    /// of its points' offsets from `centre` (weights shaped like `centre`, e.g. snapshots of
    /// a run that ends at `centre`), each of unit length, biases included (they move along the
    /// path too). Coordinates along them are distances in weight space, so size the slice
    /// from [`PathProjection::extent`]. `None` when the path does not span a plane (fewer
    /// than three distinct points, or all on one line).
    pub fn principal(centre: &[LayerWeights], path: &[Vec<LayerWeights>]) -> Option<Self> {
        let c = flatten(centre);
        let offsets: Vec<Vec<f64>> = path
            .iter()
            .map(|p| {
                flatten(p)
                    .iter()
                    .zip(&c)
                    .map(|(&p, &c)| f64::from(p) - f64::from(c))
                    .collect()
            })
            .collect();
        let [first, second] = principal_components(&offsets)?;
        let shaped = |d: Vec<f64>| {
            let flat: Vec<f32> = d.iter().map(|&v| v as f32).collect();
            unflatten(&flat, centre)
        };
        Some(Self {
            first: shaped(first),
            second: shaped(second),
        })
    }

    /// The coordinates of each point of `path` (weights shaped like `centre`) on the plane
    /// through `centre` spanned by the directions.
    pub fn project(&self, centre: &[LayerWeights], path: &[Vec<LayerWeights>]) -> PathProjection {
        let c = flatten(centre);
        let d1 = flatten(&self.first);
        let d2 = flatten(&self.second);
        // Normal equations of min |v - a·d1 - b·d2|²: [d1·d1 d1·d2; d1·d2 d2·d2] [a b]ᵀ =
        // [d1·v d2·v]ᵀ.
        let (g11, g12, g22) = (dot(&d1, &d1), dot(&d1, &d2), dot(&d2, &d2));
        let det = g11 * g22 - g12 * g12;
        let mut total = 0.0;
        let mut in_plane = 0.0;
        let coordinates = path
            .iter()
            .map(|point| {
                let v: Vec<f64> = flatten(point)
                    .iter()
                    .zip(&c)
                    .map(|(&p, &c)| f64::from(p) - f64::from(c))
                    .collect();
                let (r1, r2) = (dot64(&d1, &v), dot64(&d2, &v));
                let (a, b) = if det > 1e-12 * g11 * g22 {
                    ((g22 * r1 - g12 * r2) / det, (g11 * r2 - g12 * r1) / det)
                } else {
                    // Parallel (or zero) directions: project on the first alone.
                    (if g11 > 0.0 { r1 / g11 } else { 0.0 }, 0.0)
                };
                total += v.iter().map(|x| x * x).sum::<f64>();
                // |projection|² = a·r1 + b·r2 for the least-squares solution.
                in_plane += a * r1 + b * r2;
                (a as f32, b as f32)
            })
            .collect();
        PathProjection {
            coordinates,
            captured: if total > 0.0 {
                (in_plane / total).clamp(0.0, 1.0) as f32
            } else {
                0.0
            },
        }
    }

    /// The weights at `centre + α·first + β·second`.
    pub fn point(&self, centre: &[LayerWeights], alpha: f32, beta: f32) -> Vec<LayerWeights> {
        let flat: Vec<f32> = flatten(centre)
            .iter()
            .zip(flatten(&self.first))
            .zip(flatten(&self.second))
            .map(|((&c, d1), d2)| c + alpha * d1 + beta * d2)
            .collect();
        unflatten(&flat, centre)
    }
}

/// Iterations of the subspace iteration below (it stops earlier once settled).
const PCA_ITERATIONS: usize = 500;

/// The first two principal components (unit vectors) of `points` (rows), through their mean,
/// found on the small Gram matrix of the centred points (a path has far fewer points than
/// weights) by subspace iteration, then ordered by a 2 × 2 eigen-decomposition.
fn principal_components(points: &[Vec<f64>]) -> Option<[Vec<f64>; 2]> {
    let m = points.len();
    let dims = points.first()?.len();
    let mean: Vec<f64> = (0..dims)
        .map(|k| points.iter().map(|p| p[k]).sum::<f64>() / m as f64)
        .collect();
    let centred: Vec<Vec<f64>> = points
        .iter()
        .map(|p| p.iter().zip(&mean).map(|(a, b)| a - b).collect())
        .collect();
    let gram: Vec<Vec<f64>> = centred
        .iter()
        .map(|a| centred.iter().map(|b| dot_f64(a, b)).collect())
        .collect();
    let trace: f64 = (0..m).map(|i| gram[i][i]).sum();
    if trace <= 0.0 {
        return None;
    }
    let apply = |v: &[f64]| -> Vec<f64> { gram.iter().map(|row| dot_f64(row, v)).collect() };
    // Deterministic start: two fixed, generic vectors.
    let mut rng = Rng::new(DIRECTION_STREAM);
    let mut u: Vec<f64> = (0..m).map(|_| f64::from(rng.normal())).collect();
    let mut v: Vec<f64> = (0..m).map(|_| f64::from(rng.normal())).collect();
    orthonormalise(&mut u, &mut v)?;
    for _ in 0..PCA_ITERATIONS {
        let (mut a, mut b) = (apply(&u), apply(&v));
        orthonormalise(&mut a, &mut b)?;
        let settled = 1.0 - dot_f64(&a, &u).abs() < 1e-12 && 1.0 - dot_f64(&b, &v).abs() < 1e-12;
        (u, v) = (a, b);
        if settled {
            break;
        }
    }
    // Rayleigh-Ritz on span(u, v): the 2 × 2 matrix [u v]ᵀ G [u v], rotated to its
    // eigenvectors so the first component is the larger.
    let (gu, gv) = (apply(&u), apply(&v));
    let (h11, h12, h22) = (dot_f64(&u, &gu), dot_f64(&u, &gv), dot_f64(&v, &gv));
    let theta = 0.5 * (2.0 * h12).atan2(h11 - h22);
    let (cos, sin) = (theta.cos(), theta.sin());
    let coefficients = [
        u.iter()
            .zip(&v)
            .map(|(a, b)| cos * a + sin * b)
            .collect::<Vec<_>>(),
        u.iter()
            .zip(&v)
            .map(|(a, b)| -sin * a + cos * b)
            .collect::<Vec<_>>(),
    ];
    let mut components = coefficients.map(|coefficients| {
        let mut d = vec![0.0; dims];
        for (c, row) in coefficients.iter().zip(&centred) {
            d.iter_mut().zip(row).for_each(|(d, r)| *d += c * r);
        }
        d
    });
    for d in &mut components {
        // |d|² is the variance along the component: next to nothing (float rounding) when
        // the path lies on a line.
        let variance = dot_f64(d, d);
        if variance <= 1e-9 * trace {
            return None;
        }
        let length = variance.sqrt();
        d.iter_mut().for_each(|x| *x /= length);
    }
    Some(components)
}

/// Gram-Schmidt on two vectors; `None` if they are (nearly) dependent.
fn orthonormalise(u: &mut [f64], v: &mut [f64]) -> Option<()> {
    let nu = dot_f64(u, u).sqrt();
    if nu <= f64::MIN_POSITIVE {
        return None;
    }
    u.iter_mut().for_each(|x| *x /= nu);
    let along = dot_f64(u, v);
    v.iter_mut()
        .zip(u.iter())
        .for_each(|(x, &y)| *x -= along * y);
    let nv = dot_f64(v, v).sqrt();
    if nv <= 1e-150 {
        return None;
    }
    v.iter_mut().for_each(|x| *x /= nv);
    Some(())
}

fn dot_f64(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// One Gaussian direction, each neuron's incoming weights scaled to the length of that
/// neuron's incoming weights in `weights`; biases zero.
fn random_direction(weights: &[LayerWeights], rng: &mut Rng) -> Vec<LayerWeights> {
    weights
        .iter()
        .map(|layer| {
            let (inputs, outputs) = (layer.inputs, layer.outputs);
            let mut d: Vec<f32> = (0..inputs * outputs).map(|_| rng.normal()).collect();
            for j in 0..outputs {
                let column =
                    |v: &[f32]| (0..inputs).map(|i| v[i * outputs + j]).collect::<Vec<_>>();
                let target = norm(&column(&layer.weights));
                let length = norm(&column(&d));
                let scale = if length > 0.0 { target / length } else { 0.0 };
                for i in 0..inputs {
                    d[i * outputs + j] *= scale;
                }
            }
            LayerWeights {
                inputs,
                outputs,
                weights: d,
                biases: vec![0.0; outputs],
            }
        })
        .collect()
}

fn norm(values: &[f32]) -> f32 {
    dot(values, values).sqrt() as f32
}

fn dot(a: &[f32], b: &[f32]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(&x, &y)| f64::from(x) * f64::from(y))
        .sum()
}

fn dot64(a: &[f32], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(&x, &y)| f64::from(x) * y).sum()
}
