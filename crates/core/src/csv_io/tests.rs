//! CSV tests: the import rules, row errors with line numbers, limits, export round trips, and a
//! fuzz run over garbled text.

use proptest::prelude::*;

use super::*;
use crate::custom_data::CustomData;
use crate::data::{DataConfig, DatasetKind, Point};
use crate::experiment::ConfigError;
use crate::limits::*;
use crate::playground_state::HistoryPoint;
use crate::problem::Problem;

fn import(text: &str) -> CsvPreview {
    import_csv(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn usable(preview: &CsvPreview) {
    let mut errors: Vec<ConfigError> = Vec::new();
    preview.data.check(&mut errors);
    assert_eq!(errors, vec![], "an import is always usable as it is");
}

/// `n` rows of two classes on a line, as `x,y,label` text.
fn rows(n: usize, label: impl Fn(usize) -> String) -> String {
    (0..n)
        .map(|i| format!("{},{},{}\n", i as f32 * 0.25 - 2.0, 1.5, label(i)))
        .collect()
}

#[test]
fn class_indices_with_header_spaces_comments_and_blank_lines() {
    let text = format!(
        "# drawn on paper\n x1 , x2 , label \n\n{}\n  # more\n 0.5 ,  -0.5 , 2 \n",
        rows(12, |i| (i % 2).to_string())
    );
    let p = import(&text);
    assert_eq!(
        p.header,
        Some(vec!["x1".to_string(), "x2".into(), "label".into()])
    );
    assert_eq!(p.labels, LabelReading::ClassIndices { classes: 3 });
    assert_eq!(p.data.problem, Problem::Multiclass { classes: 3 });
    assert_eq!(p.data.points.len(), 13);
    assert_eq!(
        p.data.points[0],
        Point {
            x: -2.0,
            y: 1.5,
            label: 0.0
        }
    );
    assert_eq!(
        p.data.points[12],
        Point {
            x: 0.5,
            y: -0.5,
            label: 2.0
        }
    );
    assert!(p.scaling.is_identity());
    assert_eq!((p.skipped_count, p.ignored_columns), (0, 0));
    assert_eq!(p.class_names(), ["0", "1", "2"]);
    usable(&p);
}

#[test]
fn class_names_are_numbered_in_order_of_first_appearance() {
    let names = ["dog", "cat", "dog", "bird"];
    let p = import(&rows(12, |i| names[i % 4].to_string()));
    assert_eq!(
        p.labels,
        LabelReading::ClassNames {
            names: vec!["dog".into(), "cat".into(), "bird".into()]
        }
    );
    let labels: Vec<f32> = p.data.points.iter().map(|p| p.label).collect();
    assert_eq!(&labels[..4], [0.0, 1.0, 0.0, 2.0]);
    assert_eq!(p.data.problem, Problem::Multiclass { classes: 3 });
    // Two names make a binary problem; numbers mixed with names are names too.
    let p = import(&rows(12, |i| {
        if i % 3 == 0 { "yes".into() } else { "7".into() }
    }));
    assert_eq!(p.data.problem, Problem::Binary);
    assert_eq!(p.class_names(), ["yes", "7"]);
    usable(&p);
}

#[test]
fn real_labels_are_regression_values_scaled_into_minus_one_to_one() {
    let kept = import(&rows(12, |i| format!("{}", i as f32 / 11.0 - 0.5)));
    assert_eq!(kept.data.problem, Problem::Regression);
    assert_eq!(kept.labels, LabelReading::Values { scaled: None });
    assert_eq!(kept.data.points[0].label, -0.5);

    let prices = import(&rows(12, |i| format!("{}", 100 + 10 * i)));
    assert_eq!(
        prices.labels,
        LabelReading::Values {
            scaled: Some(ValueScaling {
                min: 100.0,
                max: 210.0
            })
        }
    );
    let labels: Vec<f32> = prices.data.points.iter().map(|p| p.label).collect();
    assert_eq!((labels[0], labels[11]), (-1.0, 1.0));
    assert!((labels[1] - (-1.0 + 2.0 / 11.0)).abs() < 1e-3);
    // Whole numbers above 4 are values, not classes; so are -1 and 1.
    assert_eq!(
        import(&rows(12, |i| (i % 2 * 5).to_string())).data.problem,
        Problem::Regression
    );
    assert_eq!(
        import(&rows(12, |i| if i % 2 == 0 {
            "-1".into()
        } else {
            "1".into()
        }))
        .data
        .problem,
        Problem::Regression
    );
    usable(&prices);
}

#[test]
fn points_off_the_plane_are_centred_and_scaled_keeping_proportions() {
    // Longitude/latitude-like data: 40 wide, 10 high, centred at (100, 50).
    let text: String = (0..20)
        .map(|i| format!("{},{},{}\n", 80 + 2 * i, 45 + i / 2, i % 2))
        .collect();
    let p = import(&text);
    assert!(!p.scaling.is_identity());
    assert_eq!((p.scaling.centre_x, p.scaling.centre_y), (99.0, 49.5));
    assert!((p.scaling.scale - 5.0 / 19.0).abs() < 1e-12);
    let xs: Vec<f32> = p.data.points.iter().map(|p| p.x).collect();
    let ys: Vec<f32> = p.data.points.iter().map(|p| p.y).collect();
    assert_eq!((xs[0], xs[19]), (-5.0, 5.0));
    assert!(
        ys.iter().all(|y| y.abs() <= 1.2),
        "the short side stays short"
    );
    let (x, y) = p.scaling.from_plane(f64::from(xs[0]), f64::from(ys[0]));
    assert!((x - 80.0).abs() < 1e-9 && (y - 45.0).abs() < 0.01);
    usable(&p);
    // One repeated point off the plane: centred, not stretched.
    let same = import(&"40,40,0\n40,40,1\n".repeat(6));
    assert_eq!(same.scaling.scale, 1.0);
    assert!(same.data.points.iter().all(|p| (p.x, p.y) == (0.0, 0.0)));
}

#[test]
fn unreadable_rows_are_listed_by_line_and_the_rest_kept() {
    let text = format!(
        "x1,x2,label\n{}1,2\nabc,1,0\n1,,0\n1,2,\n1e400,0,1\n1,2,nan\n\"3\",\"4\",\"1\"\n",
        rows(10, |i| (i % 2).to_string())
    );
    let p = import(&text);
    assert_eq!(p.data.points.len(), 11, "the quoted row is fine");
    let listed: Vec<(usize, &str)> = p
        .skipped
        .iter()
        .map(|e| (e.line, e.reason.as_str()))
        .collect();
    assert_eq!(
        listed,
        [
            (12, "it has 2 value(s); a row needs x1,x2,label"),
            (13, "x1 \"abc\" is not a number"),
            (14, "x2 is missing"),
            (15, "the label is missing"),
            (16, "x1 1e400 is too large or not a finite number"),
            (17, "the label nan is too large or not a finite number"),
        ]
    );
    assert_eq!(p.skipped_count, 6);
    assert_eq!(
        p.skipped[0].to_string(),
        "line 12: it has 2 value(s); a row needs x1,x2,label"
    );
}

#[test]
fn semicolons_tabs_a_byte_order_mark_and_extra_columns_are_read() {
    let semicolons = rows(12, |i| (i % 2).to_string()).replace(',', ";");
    assert_eq!(import(&semicolons).data.points.len(), 12);
    let decimal_commas = rows(12, |i| (i % 2).to_string())
        .replace(',', ";")
        .replace('.', ",");
    let p = import(&decimal_commas);
    assert_eq!(
        p.data.points[1],
        Point {
            x: -1.75,
            y: 1.5,
            label: 1.0
        }
    );
    let tabs = rows(12, |i| (i % 2).to_string()).replace(',', "\t");
    assert_eq!(import(&tabs).data.points.len(), 12);
    let bom = format!("\u{feff}{}", rows(12, |i| (i % 2).to_string()));
    let p = import(&bom);
    assert_eq!((p.header.clone(), p.data.points.len()), (None, 12));
    let extra = rows(12, |i| format!("{},train,x", i % 2));
    assert_eq!(import(&extra).ignored_columns, 2);
}

#[test]
fn limits_and_hopeless_files_give_typed_errors() {
    let too_many = rows(MAX_CUSTOM_POINTS + 1, |i| (i % 2).to_string());
    assert_eq!(import_csv(&too_many), Err(CsvError::TooManyRows));
    assert!(import_csv(&rows(MAX_CUSTOM_POINTS, |i| (i % 2).to_string())).is_ok());

    let six = ["a", "b", "c", "d", "e", "f"];
    let err = import_csv(&rows(12, |i| six[i % 6].to_string())).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the labels name more than 5 classes (\"a\", \"b\", \"c\", \"d\", \"e\", \"f\"); use at most 5 class names, or numbers only for regression"
    );
    assert_eq!(
        import_csv(&rows(12, |_| "3".into())),
        Err(CsvError::OneClass { label: "3".into() })
    );
    let few = import_csv("x1,x2,label\n1,2,0\n2,x,1\n").unwrap_err();
    assert_eq!(
        few.to_string(),
        "1 rows could be read (skipped line 3: x2 \"x\" is not a number); import at least 10 rows of x1,x2,label"
    );
    assert!(matches!(
        import_csv(""),
        Err(CsvError::TooFewRows { rows: 0, .. })
    ));
    let huge = "1".repeat(MAX_CSV_BYTES + 1);
    assert!(matches!(import_csv(&huge), Err(CsvError::TooLarge { .. })));
    // Many bad rows are counted, and only the first few listed.
    let noisy = format!("{}{}", rows(12, |i| (i % 2).to_string()), "x\n".repeat(500));
    let p = import(&noisy);
    assert_eq!(
        (p.skipped.len(), p.skipped_count),
        (MAX_CSV_ROW_ERRORS_LISTED, 500)
    );
}

#[test]
fn an_exported_data_set_imports_back_to_the_same_points() {
    let custom = CustomData::new(
        Problem::Multiclass { classes: 4 },
        (0..300).map(|i| {
            let t = i as f32 * 0.731;
            Point {
                x: 5.9 * t.sin(),
                y: 5.9 * (1.3 * t).cos(),
                label: (i % 4) as f32,
            }
        }),
    );
    let regression = CustomData::new(
        Problem::Regression,
        custom.points.iter().map(|p| Point {
            label: p.x * p.y / 36.0,
            ..*p
        }),
    );
    let binary_generated = CustomData::from_dataset(
        &DataConfig {
            kind: DatasetKind::Spiral,
            noise_percent: 30,
            ..DataConfig::default()
        }
        .generate(9),
    );
    for data in [custom, regression, binary_generated] {
        let config = DataConfig {
            kind: DatasetKind::Custom,
            custom: data.clone(),
            train_percent: 70,
            ..DataConfig::default()
        };
        let dataset = config.generate(3);
        let text = dataset_csv(&dataset);
        let p = import(&text);
        let exported: Vec<Point> = dataset.train.iter().chain(&dataset.test).copied().collect();
        assert_eq!(p.data.points, exported);
        assert_eq!(p.data.problem, data.problem);
        assert!(p.scaling.is_identity());
        assert_eq!(p.ignored_columns, 1, "the set column");
        assert_eq!(
            p.header,
            Some(vec!["x1".into(), "x2".into(), "label".into(), "set".into()])
        );
        let sets = text
            .lines()
            .skip(1)
            .map(|l| l.rsplit(',').next().unwrap_or_default());
        assert_eq!(
            sets.clone().filter(|s| *s == "train").count(),
            dataset.train.len()
        );
        assert_eq!(sets.filter(|s| *s == "test").count(), dataset.test.len());
    }
}

#[test]
fn history_exports_one_row_per_point_with_empty_accuracies_for_regression() {
    let history = [
        HistoryPoint {
            epoch: 0,
            train_loss: 0.693,
            test_loss: 0.7,
            train_accuracy: Some(0.5),
            test_accuracy: Some(0.48),
        },
        HistoryPoint {
            epoch: 10,
            train_loss: 0.125,
            test_loss: 0.25,
            train_accuracy: None,
            test_accuracy: None,
        },
    ];
    assert_eq!(
        history_csv(&history),
        "epoch,train_loss,test_loss,train_accuracy,test_accuracy\n\
         0,0.693,0.7,0.5,0.48\n\
         10,0.125,0.25,,\n"
    );
}

/// Text a user might feed the importer: random bytes, CSV-shaped noise, real files damaged.
fn garbled_csv() -> impl Strategy<Value = String> {
    let good = rows(40, |i| ["a", "b", "c"][i % 3].to_string());
    let numbers = rows(40, |i| format!("{}", i as f32 * 3.7 - 20.0));
    prop_oneof![
        "\\PC{0,400}",
        "([ -~]{0,12}[,;\t]){0,4}[ -~]{0,12}\n{0,2}".prop_map(|row| row.repeat(20)),
        proptest::collection::vec(
            "(-?[0-9]{1,4}(\\.[0-9]{1,3})?|1e30[0-9]|nan|inf|\"[^\"]{0,4}\"?|[a-f]{1,3}|)",
            0..120
        )
        .prop_map(|cells| cells
            .chunks(3)
            .map(|c| c.join(","))
            .collect::<Vec<_>>()
            .join("\n")),
        (
            proptest::sample::select(vec![good.clone(), numbers]),
            any::<prop::sample::Index>()
        )
            .prop_map(|(text, i)| text[..i.index(text.len() + 1)].to_string()),
        (
            Just(good),
            proptest::collection::vec((any::<prop::sample::Index>(), any::<char>()), 1..10)
        )
            .prop_map(|(text, edits)| {
                let mut chars: Vec<char> = text.chars().collect();
                for (i, c) in edits {
                    let at = i.index(chars.len());
                    chars[at] = c;
                }
                chars.into_iter().collect()
            }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Garbled text never panics: always a usable preview or a typed error.
    #[test]
    fn garbled_csv_never_panics(text in garbled_csv()) {
        match import_csv(&text) {
            Ok(preview) => {
                usable(&preview);
                prop_assert!(preview.skipped.len() <= preview.skipped_count);
                prop_assert!(preview.data.points.len() <= MAX_CUSTOM_POINTS);
            }
            Err(error) => prop_assert!(!error.to_string().is_empty()),
        }
    }
}
