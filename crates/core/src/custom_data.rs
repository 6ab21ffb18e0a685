//! The user's own data set: points drawn with the mouse or imported from CSV, with the problem
//! they pose. Plain data inside [`crate::DataConfig`]; checked by [`CustomData::check`] as part
//! of [`crate::ExperimentConfig::validate`].
//!
//! Coordinates and regression values are kept at 1/[`POINT_STEPS_PER_UNIT`] (see
//! [`snap`]): share links carry them as whole numbers of steps, so a link reproduces the points,
//! and therefore the run, exactly.

use serde::{Deserialize, Serialize};

use crate::config_error::ConfigError;
use crate::limits::{
    DOMAIN, MAX_CLASSES, MAX_CUSTOM_POINTS, MIN_CLASSES, MIN_CUSTOM_POINTS, POINT_STEPS_PER_UNIT,
};
use crate::points::{Dataset, Point};
use crate::problem::Problem;

/// Points a user drew or imported, and the problem their labels pose.
///
/// Labels are class indices `0..k` for classification (`k` = 2 for [`Problem::Binary`]) and
/// values in `[-1, 1]` for [`Problem::Regression`]; points lie in `[-DOMAIN, DOMAIN]²`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomData {
    /// Binary, multi-class (3–5 classes) or regression.
    pub problem: Problem,
    /// The points, in the order they were drawn or read (the seeded split shuffles them).
    pub points: Vec<Point>,
}

impl Default for CustomData {
    /// No points yet, two classes.
    fn default() -> Self {
        Self {
            problem: Problem::Binary,
            points: Vec::new(),
        }
    }
}

/// `value` at the resolution the user's own points are kept at (1/1000). Not-a-numbers stay
/// what they are (validation names them).
pub fn snap(value: f64) -> f32 {
    if value.is_finite() {
        from_steps(to_steps(value))
    } else {
        value as f32
    }
}

/// `value` as a whole number of steps (saturating far outside the plane).
pub(crate) fn to_steps(value: f64) -> i32 {
    (value * f64::from(POINT_STEPS_PER_UNIT)).round() as i32
}

/// The value of `steps` steps; [`snap`] and share links both go through here, so a decoded
/// link gives back the very same `f32`.
pub(crate) fn from_steps(steps: i32) -> f32 {
    steps as f32 / POINT_STEPS_PER_UNIT
}

/// A point with coordinates (and a regression value) snapped to the kept resolution.
pub fn snap_point(point: Point, problem: Problem) -> Point {
    Point {
        x: snap(f64::from(point.x)),
        y: snap(f64::from(point.y)),
        label: match problem {
            Problem::Regression => snap(f64::from(point.label)),
            _ => point.label.round(),
        },
    }
}

impl CustomData {
    /// Custom data from `points`, snapped to the kept resolution.
    pub fn new(problem: Problem, points: impl IntoIterator<Item = Point>) -> Self {
        Self {
            problem,
            points: points.into_iter().map(|p| snap_point(p, problem)).collect(),
        }
    }

    /// A generated data set as a start for drawing: its training then test points, clamped into
    /// the plane (noisy sets stray a little outside) and snapped.
    pub fn from_dataset(dataset: &Dataset) -> Self {
        let clamp = |p: &Point| Point {
            x: p.x.clamp(-DOMAIN, DOMAIN),
            y: p.y.clamp(-DOMAIN, DOMAIN),
            label: p.label,
        };
        Self::new(
            dataset.problem,
            dataset.train.iter().chain(&dataset.test).map(clamp),
        )
    }

    /// Number of classes the problem has (none for regression).
    pub fn classes(&self) -> usize {
        match self.problem {
            Problem::Binary => 2,
            Problem::Multiclass { classes } => classes,
            Problem::Regression => 0,
        }
    }

    /// How many distinct classes the points hold (0 for regression).
    pub fn classes_present(&self) -> usize {
        if !self.problem.is_classification() {
            return 0;
        }
        let mut seen = [false; MAX_CLASSES];
        for p in &self.points {
            if p.label >= 0.0 && (p.label as usize) < MAX_CLASSES {
                seen[p.label as usize] = true;
            }
        }
        seen.iter().filter(|&&s| s).count()
    }

    /// Every problem with the points, for [`crate::ExperimentConfig::validate_all`]: count,
    /// class count, the first point off the plane and the first label the problem cannot take
    /// (one error each, so a form lists a handful, not thousands).
    pub fn check(&self, errors: &mut Vec<ConfigError>) {
        let count = self.points.len();
        if !(MIN_CUSTOM_POINTS..=MAX_CUSTOM_POINTS).contains(&count) {
            errors.push(ConfigError::CustomPointCount { count });
        }
        if let Problem::Multiclass { classes } = self.problem
            && !(MIN_CLASSES..=MAX_CLASSES).contains(&classes)
        {
            errors.push(ConfigError::Classes { classes });
        }
        let inside = |v: f32| (-DOMAIN..=DOMAIN).contains(&v);
        if let Some((i, p)) = self
            .points
            .iter()
            .enumerate()
            .find(|(_, p)| !(inside(p.x) && inside(p.y)))
        {
            errors.push(ConfigError::PointOutside {
                point: i + 1,
                x: p.x,
                y: p.y,
            });
        }
        let classes = self.classes();
        let fits = |label: f32| match self.problem {
            Problem::Regression => (-1.0..=1.0).contains(&label),
            _ => label >= 0.0 && label.fract() == 0.0 && (label as usize) < classes,
        };
        if let Some((i, p)) = self.points.iter().enumerate().find(|(_, p)| !fits(p.label)) {
            errors.push(ConfigError::Label {
                point: i + 1,
                label: p.label,
                problem: self.problem,
            });
        }
        let present = self.classes_present();
        if self.problem.is_classification() && count > 0 && present < 2 {
            errors.push(ConfigError::TooFewClasses { present });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{DataConfig, DatasetKind};

    fn point(x: f32, y: f32, label: f32) -> Point {
        Point { x, y, label }
    }

    fn two_classes(n: usize) -> CustomData {
        CustomData::new(
            Problem::Binary,
            (0..n).map(|i| point(i as f32 * 0.1 - 2.0, 1.0, (i % 2) as f32)),
        )
    }

    fn errors(data: &CustomData) -> Vec<ConfigError> {
        let mut errors = Vec::new();
        data.check(&mut errors);
        errors
    }

    #[test]
    fn snapping_keeps_a_thousandth_and_is_idempotent() {
        assert_eq!(snap(1.23456), 1.235);
        assert_eq!(snap(-5.9994), -5.999);
        for v in [0.001f32, -3.333, 5.999, 1.0 / 3.0, -6.0] {
            let once = snap(f64::from(v));
            assert_eq!(snap(f64::from(once)), once);
        }
        let p = snap_point(point(0.12345, 2.0, 0.4444), Problem::Regression);
        assert_eq!((p.x, p.label), (0.123, 0.444));
        assert_eq!(snap_point(point(0.0, 0.0, 1.0), Problem::Binary).label, 1.0);
    }

    #[test]
    fn good_points_pass_and_each_problem_is_named() {
        assert_eq!(errors(&two_classes(20)), vec![]);
        let mut outside = two_classes(20);
        outside.points[3].x = 7.5;
        outside.points[5].y = f32::NAN;
        let text = errors(&outside)[0].to_string();
        assert!(text.contains("point 4 at (7.5, 1)"), "{text}");

        let mut label = two_classes(20);
        label.points[2].label = 2.0;
        assert!(
            errors(&label)[0]
                .to_string()
                .contains("point 3 has label 2")
        );

        let one_class = CustomData::new(Problem::Binary, vec![point(0.0, 0.0, 1.0); 12]);
        assert!(errors(&one_class)[0].to_string().contains("only 1 class"));

        assert!(
            errors(&two_classes(4))[0]
                .to_string()
                .contains("4 points of your own")
        );
        assert!(
            errors(&two_classes(MAX_CUSTOM_POINTS + 1))[0]
                .to_string()
                .contains("2001 points")
        );

        let mut regression = two_classes(20);
        regression.problem = Problem::Regression;
        assert_eq!(errors(&regression), vec![]);
        regression.points[0].label = 1.5;
        assert!(errors(&regression)[0].to_string().contains("label 1.5"));

        let six = CustomData::new(
            Problem::Multiclass { classes: 6 },
            (0..20).map(|i| point(0.0, 0.0, (i % 6) as f32)),
        );
        assert!(errors(&six)[0].to_string().contains("6 classes"));
    }

    #[test]
    fn a_generated_set_becomes_custom_data_that_checks() {
        let config = DataConfig {
            kind: DatasetKind::Blobs,
            noise_percent: 40,
            size: 100,
            ..DataConfig::default()
        };
        let data = CustomData::from_dataset(&config.generate(3));
        assert_eq!(data.points.len(), 100);
        assert_eq!(data.problem, Problem::Multiclass { classes: 3 });
        assert_eq!(data.classes_present(), 3);
        assert_eq!(errors(&data), vec![]);
    }
}
