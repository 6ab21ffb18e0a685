//! The user's own points in a link (`pts=`): postcard bytes of whole-number steps (1/1000),
//! one column per coordinate and one for the labels, deflated, base64url.
//!
//! Columns rather than `(x, y, label)` triples: a column of class labels is runs of a few
//! values and deflates to almost nothing. Coordinates take two bytes each as varints
//! (|x| ≤ 6000 steps). 500 points make ~2.9 k characters (see the tests).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::custom_data::{CustomData, from_steps, to_steps};
use crate::data::Point;
use crate::limits::{MAX_CUSTOM_POINTS, MAX_POINTS_BYTES};
use crate::problem::Problem;

/// The payload's own format number.
const FORMAT: u8 = 1;
/// deflate level: the best ratio; payloads are a few kilobytes.
const LEVEL: u8 = 9;

#[derive(Serialize, Deserialize)]
struct PointsWire {
    format: u8,
    problem: ProblemWire,
    xs: Vec<i16>,
    ys: Vec<i16>,
    /// Class indices, or regression values in steps.
    labels: Vec<i16>,
}

#[derive(Serialize, Deserialize)]
enum ProblemWire {
    Binary,
    Multiclass(u8),
    Regression,
}

fn steps16(value: f32) -> i16 {
    to_steps(f64::from(value)).clamp(i32::from(i16::MIN), i32::from(i16::MAX)) as i16
}

/// The link field's value for `data`.
pub(crate) fn encode(data: &CustomData) -> String {
    let regression = data.problem == Problem::Regression;
    let wire = PointsWire {
        format: FORMAT,
        problem: match data.problem {
            Problem::Binary => ProblemWire::Binary,
            Problem::Multiclass { classes } => {
                ProblemWire::Multiclass(u8::try_from(classes).unwrap_or(u8::MAX))
            }
            Problem::Regression => ProblemWire::Regression,
        },
        xs: data.points.iter().map(|p| steps16(p.x)).collect(),
        ys: data.points.iter().map(|p| steps16(p.y)).collect(),
        labels: data
            .points
            .iter()
            .map(|p| {
                if regression {
                    steps16(p.label)
                } else {
                    p.label.round().clamp(-1.0, f32::from(i16::MAX)) as i16
                }
            })
            .collect(),
    };
    // Serialising plain numbers into a Vec cannot fail; an empty payload is refused on decoding.
    let bytes = postcard::to_allocvec(&wire).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&bytes, LEVEL))
}

/// The points in a link field's value, or why they cannot be read. What they mean (labels in
/// range, points on the plane) is checked by the caller with [`CustomData::check`].
pub(crate) fn decode(text: &str) -> Result<CustomData, String> {
    let compressed = URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .map_err(|_| "they are not valid base64url".to_string())?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, MAX_POINTS_BYTES)
        .map_err(|_| "they are damaged or too many".to_string())?;
    let wire: PointsWire =
        postcard::from_bytes(&bytes).map_err(|_| "they are damaged".to_string())?;
    if wire.format != FORMAT {
        return Err(format!("their format {} is unknown", wire.format));
    }
    let count = wire.xs.len();
    if wire.ys.len() != count || wire.labels.len() != count {
        return Err("their columns differ in length".into());
    }
    if count > MAX_CUSTOM_POINTS {
        return Err(format!(
            "there are {count} of them, more than the {MAX_CUSTOM_POINTS} allowed"
        ));
    }
    let problem = match wire.problem {
        ProblemWire::Binary => Problem::Binary,
        ProblemWire::Multiclass(classes) => Problem::Multiclass {
            classes: usize::from(classes),
        },
        ProblemWire::Regression => Problem::Regression,
    };
    let label = |l: i16| match problem {
        Problem::Regression => from_steps(i32::from(l)),
        _ => f32::from(l),
    };
    let points = wire
        .xs
        .iter()
        .zip(&wire.ys)
        .zip(&wire.labels)
        .map(|((&x, &y), &l)| Point {
            x: from_steps(i32::from(x)),
            y: from_steps(i32::from(y)),
            label: label(l),
        })
        .collect();
    Ok(CustomData { problem, points })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::LabState;
    use crate::link::tests::custom_state;
    use crate::link::{LinkError, decode, encode};
    use crate::playground_state::PlaygroundState;

    fn custom_of(decoded: &crate::link::Decoded) -> (&PlaygroundState, &CustomData) {
        match &decoded.state {
            LabState::Playground(s) => (s, &s.config.data.custom),
            other => panic!("expected the playground, got {other:?}"),
        }
    }

    /// Twelve points of two classes, as a user might click them.
    fn golden_points() -> CustomData {
        CustomData::new(
            Problem::Binary,
            [
                (-2.5, 1.25, 0.0),
                (-2.0, 1.5, 0.0),
                (-1.5, 2.0, 0.0),
                (-3.0, 0.5, 0.0),
                (-2.75, 2.25, 0.0),
                (-1.0, 1.0, 0.0),
                (2.5, -1.25, 1.0),
                (2.0, -1.5, 1.0),
                (1.5, -2.0, 1.0),
                (3.0, -0.5, 1.0),
                (2.75, -2.25, 1.0),
                (1.0, -1.0, 1.0),
            ]
            .map(|(x, y, label)| Point { x, y, label }),
        )
    }

    fn link_with(data: &CustomData, kind: crate::data::DatasetKind) -> String {
        let mut state = PlaygroundState::default();
        state.config.data.kind = kind;
        state.config.data.custom = data.clone();
        encode(&LabState::Playground(state))
    }

    #[test]
    fn golden_custom_link_keeps_decoding() {
        // As released: this string must decode to these points forever.
        let decoded = decode(
            "v1/playground/seed=1&data=custom&n=500&noise=0&ratio=50&classes=3&f=x1,x2\
             &net=4:tanh,2:tanh&init=xavier&loss=bce&opt=sgd&lr=0.03&batch=5&reg=none&rr=0\
             &speed=1&test=0&disc=0&log=0&hide=&hidef=&pts=AUEAvv8BAAyHJ58ftxfvLvsqzw-IJ6AfuB\
             fwLvwq0A8MxBO4F6Af6AeUI9APwxO3F58f5weTI88PDAAAAAAAAAICAgICAg",
        );
        assert_eq!(decoded.errors, vec![]);
        let (state, custom) = custom_of(&decoded);
        assert_eq!(state.config.data.kind, crate::data::DatasetKind::Custom);
        assert_eq!(custom, &golden_points());
        let data = state.config.validate().unwrap().dataset();
        assert_eq!((data.train.len(), data.test.len()), (6, 6));
    }

    #[test]
    fn custom_points_and_weights_round_trip_exactly_and_the_sizes_are_known() {
        for count in [10, 500, MAX_CUSTOM_POINTS] {
            for weights in [false, true] {
                let state = custom_state(count, weights);
                let link = encode(&LabState::Playground(state.clone()));
                let decoded = decode(&link);
                assert_eq!(decoded.errors, vec![]);
                assert_eq!(custom_of(&decoded).0, &state);
                let pts = link
                    .split("&pts=")
                    .nth(1)
                    .map_or(0, |rest| rest.split('&').next().map_or(0, str::len));
                println!(
                    "{count} points{}: link {} chars, pts= {pts} chars",
                    if weights { " + weights" } else { "" },
                    link.len()
                );
                assert!(link.len() <= crate::limits::MAX_LINK_CHARS);
                if count == 500 {
                    assert!(pts < 3500, "500 points take {pts} characters");
                }
            }
        }
        // The most a link carries: 2000 points and the 8×16 network with every feature.
        let mut config = crate::link::tests::biggest_config();
        config.data = custom_state(MAX_CUSTOM_POINTS, false).config.data;
        config.training.loss = crate::training::LossKind::CategoricalCrossEntropy;
        let biggest = encode(&LabState::Playground(crate::link::tests::trained_state(
            config,
        )));
        println!("2000 points + 8×16 network: link {} chars", biggest.len());
        assert!(biggest.len() <= crate::limits::MAX_LINK_CHARS);
        assert_eq!(decode(&biggest).errors, vec![]);
        // Uniformly scattered points, the least compressible kind a user makes.
        let mut rng = crate::rng::Rng::new(5);
        let scattered: Vec<Point> = (0..500)
            .map(|_| Point {
                x: rng.uniform(-6.0, 6.0),
                y: rng.uniform(-6.0, 6.0),
                label: rng.index(5) as f32,
            })
            .collect();
        let classes = super::encode(&CustomData::new(
            Problem::Multiclass { classes: 5 },
            scattered.clone(),
        ))
        .len();
        let values = super::encode(&CustomData::new(
            Problem::Regression,
            scattered.iter().map(|p| Point {
                label: p.x / 6.0,
                ..*p
            }),
        ))
        .len();
        println!("500 scattered points: pts= {classes} chars (5 classes), {values} (regression)");
        assert!(classes < 4000 && values < 5000, "{classes} {values}");
    }

    #[test]
    fn unusable_points_are_reported_and_the_default_data_set_shown() {
        let good = golden_points();
        let mut outside = good.clone();
        outside.points[0].x = 6.5;
        let mut label = good.clone();
        label.points[3].label = 2.0;
        let mut one_class = good.clone();
        one_class.points.iter_mut().for_each(|p| p.label = 0.0);
        let mut too_many = good.clone();
        too_many.points = vec![good.points[0]; MAX_CUSTOM_POINTS + 1];
        let columns = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(
            &postcard::to_allocvec(&PointsWire {
                format: FORMAT,
                problem: ProblemWire::Binary,
                xs: vec![1, 2, 3],
                ys: vec![1, 2],
                labels: vec![0, 1, 0],
            })
            .unwrap(),
            LEVEL,
        ));
        let custom = crate::data::DatasetKind::Custom;
        let cases = [
            (link_with(&outside, custom), "outside the plane"),
            (link_with(&label, custom), "label 2"),
            (link_with(&one_class, custom), "only 1 class"),
            (link_with(&too_many, custom), "more than the 2000"),
            (
                format!("v1/playground/data=custom&pts={columns}"),
                "differ in length",
            ),
            ("v1/playground/data=custom&pts=!!".into(), "base64url"),
            ("v1/playground/data=custom&pts=AAAA".into(), "damaged"),
            ("v1/playground/data=custom".into(), "the link has none"),
        ];
        for (link, needle) in cases {
            let decoded = decode(&link);
            let (state, _) = custom_of(&decoded);
            assert!(state.config.validate().is_ok());
            assert_eq!(state.config.data.kind, crate::data::DatasetKind::Circle);
            let [
                LinkError::Points {
                    reason,
                    replaced_by,
                },
            ] = &decoded.errors[..]
            else {
                panic!("{needle}: {:?}", decoded.errors);
            };
            assert!(reason.contains(needle), "{reason:?} should say {needle:?}");
            assert_eq!(*replaced_by, Some(crate::data::DatasetKind::Circle));
            let text = decoded.errors[0].to_string();
            assert!(
                text.contains("the circle data set is shown instead"),
                "{text}"
            );
        }
    }

    #[test]
    fn points_beside_a_generator_are_kept_for_later_and_not_written() {
        let link = link_with(&golden_points(), crate::data::DatasetKind::Spiral);
        assert!(!link.contains("pts="), "only data=custom writes its points");
        let with_points = format!("{link}&pts={}", encode_points(&golden_points()));
        let decoded = decode(&with_points);
        assert_eq!(decoded.errors, vec![]);
        let (state, custom) = custom_of(&decoded);
        assert_eq!(state.config.data.kind, crate::data::DatasetKind::Spiral);
        assert_eq!(custom, &golden_points());
        let bad = decode(&format!("{link}&pts=AAAA"));
        assert!(matches!(
            bad.errors[..],
            [LinkError::Points {
                replaced_by: None,
                ..
            }]
        ));
    }

    fn encode_points(data: &CustomData) -> String {
        super::encode(data)
    }
}
