//! Reading `x1,x2,label` text into the user's own points (rules in the module above).

use thiserror::Error;

use crate::custom_data::CustomData;
use crate::data::Point;
use crate::limits::{
    CSV_SCALED_HALF_WIDTH, DOMAIN, MAX_CLASSES, MAX_CSV_BYTES, MAX_CSV_ROW_ERRORS_LISTED,
    MAX_CUSTOM_POINTS, MIN_CUSTOM_POINTS,
};
use crate::problem::Problem;

/// Largest coordinate or value read: anything beyond is a mistake, not data (and keeps the
/// scaling arithmetic far from overflow).
const MAX_MAGNITUDE: f64 = 1e9;

/// A row that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvRowError {
    /// 1-based line number in the file.
    pub line: usize,
    /// What is wrong with it.
    pub reason: String,
}

impl std::fmt::Display for CsvRowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

/// How coordinates were brought into the plane: `plane = (raw - centre) × scale`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scaling {
    /// Centre of the data's bounding box (x1).
    pub centre_x: f64,
    /// Centre of the data's bounding box (x2).
    pub centre_y: f64,
    /// Factor applied to both axes.
    pub scale: f64,
}

impl Scaling {
    /// Coordinates kept as written (the data already lies in the plane).
    pub const IDENTITY: Scaling = Scaling {
        centre_x: 0.0,
        centre_y: 0.0,
        scale: 1.0,
    };

    /// Whether the coordinates were kept as written.
    pub fn is_identity(&self) -> bool {
        *self == Self::IDENTITY
    }

    /// A raw point's position on the plane.
    pub fn to_plane(&self, x: f64, y: f64) -> (f64, f64) {
        (
            (x - self.centre_x) * self.scale,
            (y - self.centre_y) * self.scale,
        )
    }

    /// A plane position in the file's units (to label axes or export in the original units).
    pub fn from_plane(&self, x: f64, y: f64) -> (f64, f64) {
        (
            x / self.scale + self.centre_x,
            y / self.scale + self.centre_y,
        )
    }

    /// The identity when every point lies in the plane; otherwise the bounding box centred and
    /// its longer side scaled to `±CSV_SCALED_HALF_WIDTH`.
    fn fit(points: &[(f64, f64)]) -> Self {
        let inside = |v: f64| v.abs() <= f64::from(DOMAIN);
        if points.iter().all(|&(x, y)| inside(x) && inside(y)) {
            return Self::IDENTITY;
        }
        let (mut lo_x, mut hi_x, mut lo_y, mut hi_y) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for &(x, y) in points {
            (lo_x, hi_x) = (lo_x.min(x), hi_x.max(x));
            (lo_y, hi_y) = (lo_y.min(y), hi_y.max(y));
        }
        let half = ((hi_x - lo_x).max(hi_y - lo_y)) / 2.0;
        Self {
            centre_x: (lo_x + hi_x) / 2.0,
            centre_y: (lo_y + hi_y) / 2.0,
            scale: if half > 0.0 {
                f64::from(CSV_SCALED_HALF_WIDTH) / half
            } else {
                1.0
            },
        }
    }
}

/// How regression values were brought into `[-1, 1]`: `[min, max]` mapped linearly.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValueScaling {
    /// Smallest value in the file (becomes -1).
    pub min: f64,
    /// Largest value in the file (becomes 1).
    pub max: f64,
}

/// What the labels were read as.
#[derive(Debug, Clone, PartialEq)]
pub enum LabelReading {
    /// Whole numbers 0–4, used as class indices.
    ClassIndices {
        /// Largest index + 1.
        classes: usize,
    },
    /// Class names, numbered in order of first appearance: `names[i]` is class `i`.
    ClassNames {
        /// The names, as written.
        names: Vec<String>,
    },
    /// Real values (regression).
    Values {
        /// How they were mapped onto `[-1, 1]`, when they did not all lie there.
        scaled: Option<ValueScaling>,
    },
}

/// What an import found: the points, ready for [`crate::DataConfig::custom`], and what the
/// import dialog shows about them.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvPreview {
    /// The points on the plane (snapped to 1/1000) and their problem.
    pub data: CustomData,
    /// Column names, when the first row was a header.
    pub header: Option<Vec<String>>,
    /// How the labels were read.
    pub labels: LabelReading,
    /// How the coordinates were brought into the plane.
    pub scaling: Scaling,
    /// Rows skipped, with the reason (the first [`MAX_CSV_ROW_ERRORS_LISTED`]).
    pub skipped: Vec<CsvRowError>,
    /// How many rows were skipped in all.
    pub skipped_count: usize,
    /// Most columns after the third on any row (ignored).
    pub ignored_columns: usize,
}

impl CsvPreview {
    /// A name for each class, for the legend (empty for regression).
    pub fn class_names(&self) -> Vec<String> {
        match &self.labels {
            LabelReading::ClassIndices { classes } => {
                (0..*classes).map(|c| c.to_string()).collect()
            }
            LabelReading::ClassNames { names } => names.clone(),
            LabelReading::Values { .. } => Vec::new(),
        }
    }
}

/// Why nothing could be imported.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum CsvError {
    /// The text is longer than any data set needs.
    #[error("the file is {bytes} bytes long; files up to {MAX_CSV_BYTES} bytes can be imported")]
    TooLarge {
        /// Its length.
        bytes: usize,
    },
    /// More rows than a data set may have.
    #[error(
        "the file has more than {MAX_CUSTOM_POINTS} rows of points; keep at most {MAX_CUSTOM_POINTS} (a random sample, say)"
    )]
    TooManyRows,
    /// Too few rows could be read.
    #[error(
        "{rows} rows could be read{}; import at least {MIN_CUSTOM_POINTS} rows of x1,x2,label",
        first_problem(skipped)
    )]
    TooFewRows {
        /// Rows read.
        rows: usize,
        /// The first rows skipped, with the reason.
        skipped: Vec<CsvRowError>,
    },
    /// The labels name more classes than a data set may have.
    #[error(
        "the labels name more than {MAX_CLASSES} classes ({}); use at most {MAX_CLASSES} class names, or numbers only for regression",
        quoted(names)
    )]
    TooManyClasses {
        /// The first few names found.
        names: Vec<String>,
    },
    /// Every point has the same class.
    #[error("every label is \"{label}\"; a classifier needs points of at least 2 classes")]
    OneClass {
        /// The one label.
        label: String,
    },
}

fn first_problem(skipped: &[CsvRowError]) -> String {
    skipped
        .first()
        .map(|e| format!(" (skipped {e})"))
        .unwrap_or_default()
}

fn quoted(names: &[String]) -> String {
    let names: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    names.join(", ")
}

/// One readable row.
struct Row {
    x: f64,
    y: f64,
    label: String,
}

/// Skipped rows: the first few listed, all counted.
#[derive(Default)]
struct Skipped {
    listed: Vec<CsvRowError>,
    count: usize,
}

impl Skipped {
    fn push(&mut self, line: usize, reason: String) {
        self.count += 1;
        if self.listed.len() < MAX_CSV_ROW_ERRORS_LISTED {
            self.listed.push(CsvRowError { line, reason });
        }
    }
}

/// Reads CSV text (`x1,x2,label` rows) into points on the plane; see the module docs for the
/// rules. Always a preview or a typed error, never a panic.
pub fn import_csv(text: &str) -> Result<CsvPreview, CsvError> {
    if text.len() > MAX_CSV_BYTES {
        return Err(CsvError::TooLarge { bytes: text.len() });
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut header = None;
    let mut skipped = Skipped::default();
    let mut ignored_columns = 0;
    let mut first = true;
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(0, |p| p.line() as usize);
                skipped.push(line, "it is not valid CSV".into());
                continue;
            }
        };
        // Blank lines, and comments indented or not.
        if record.iter().all(str::is_empty) || record.get(0).is_some_and(|v| v.starts_with('#')) {
            continue;
        }
        let line = record.position().map_or(0, |p| p.line() as usize);
        let is_first = std::mem::take(&mut first);
        if is_first && number(&field(&record, 0, delimiter)).is_none() {
            header = Some(record.iter().map(str::to_string).collect());
            continue;
        }
        match row(&record, delimiter) {
            Ok(row) => {
                if rows.len() == MAX_CUSTOM_POINTS {
                    return Err(CsvError::TooManyRows);
                }
                ignored_columns = ignored_columns.max(record.len().saturating_sub(3));
                rows.push(row);
            }
            Err(reason) => skipped.push(line, reason),
        }
    }
    if rows.len() < MIN_CUSTOM_POINTS {
        return Err(CsvError::TooFewRows {
            rows: rows.len(),
            skipped: skipped.listed,
        });
    }
    let (problem, labels, values) = read_labels(&rows)?;
    let raw: Vec<(f64, f64)> = rows.iter().map(|r| (r.x, r.y)).collect();
    let scaling = Scaling::fit(&raw);
    let points = raw.iter().zip(values).map(|(&(x, y), label)| {
        let (x, y) = scaling.to_plane(x, y);
        Point {
            x: x as f32,
            y: y as f32,
            label: label as f32,
        }
    });
    Ok(CsvPreview {
        data: CustomData::new(problem, points),
        header,
        labels,
        scaling,
        skipped: skipped.listed,
        skipped_count: skipped.count,
        ignored_columns,
    })
}

/// `;` if the first line has one (spreadsheets in locales with a decimal comma write `;`, and
/// no number holds one), else `,` if it has one, else a tab if it has one, else `,`.
fn delimiter(text: &str) -> u8 {
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or_default();
    [b';', b',', b'\t']
        .into_iter()
        .find(|&d| first.contains(char::from(d)))
        .unwrap_or(b',')
}

/// Value `i` of `record`; with `;` between values, a decimal comma (`1,5`) reads as `1.5`.
fn field(record: &csv::StringRecord, i: usize, delimiter: u8) -> String {
    let text = record.get(i).unwrap_or_default();
    if delimiter == b';' && text.contains(',') {
        let dotted = text.replace(',', ".");
        if dotted.parse::<f64>().is_ok() {
            return dotted;
        }
    }
    text.to_string()
}

/// A finite number of sensible size, if `text` is one.
fn number(text: &str) -> Option<f64> {
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && v.abs() <= MAX_MAGNITUDE)
}

fn row(record: &csv::StringRecord, delimiter: u8) -> Result<Row, String> {
    if record.len() < 3 {
        return Err(format!(
            "it has {} value(s); a row needs x1,x2,label",
            record.len()
        ));
    }
    let coordinate = |i: usize, name: &str| {
        let text = field(record, i, delimiter);
        let text = text.as_str();
        number(text).ok_or_else(|| match text.parse::<f64>() {
            Ok(_) => format!("{name} {text} is too large or not a finite number"),
            Err(_) if text.is_empty() => format!("{name} is missing"),
            Err(_) => format!("{name} \"{}\" is not a number", shorten(text)),
        })
    };
    let x = coordinate(0, "x1")?;
    let y = coordinate(1, "x2")?;
    let label = field(record, 2, delimiter);
    if label.is_empty() {
        return Err("the label is missing".into());
    }
    if label.parse::<f64>().is_ok() && number(&label).is_none() {
        return Err(format!(
            "the label {label} is too large or not a finite number"
        ));
    }
    Ok(Row { x, y, label })
}

fn shorten(text: &str) -> String {
    const CHARS: usize = 20;
    if text.chars().count() <= CHARS {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(CHARS).collect::<String>())
    }
}

/// The problem, how the labels were read, and each row's label value (class index or value in
/// `[-1, 1]`).
fn read_labels(rows: &[Row]) -> Result<(Problem, LabelReading, Vec<f64>), CsvError> {
    let numbers: Option<Vec<f64>> = rows.iter().map(|r| number(&r.label)).collect();
    let Some(numbers) = numbers else {
        return class_names(rows);
    };
    let max_index = (MAX_CLASSES - 1) as f64;
    if numbers
        .iter()
        .all(|&v| v.fract() == 0.0 && (0.0..=max_index).contains(&v))
    {
        let mut present = [false; MAX_CLASSES];
        numbers.iter().for_each(|&v| present[v as usize] = true);
        if present.iter().filter(|&&p| p).count() < 2 {
            return Err(CsvError::OneClass {
                label: shorten(&rows[0].label),
            });
        }
        let classes = present.iter().rposition(|&p| p).map_or(0, |c| c + 1);
        let problem = classification(classes);
        return Ok((problem, LabelReading::ClassIndices { classes }, numbers));
    }
    let (min, max) = numbers
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    if min >= -1.0 && max <= 1.0 {
        return Ok((
            Problem::Regression,
            LabelReading::Values { scaled: None },
            numbers,
        ));
    }
    let spread = max - min;
    let values = numbers
        .iter()
        .map(|&v| {
            if spread > 0.0 {
                2.0 * (v - min) / spread - 1.0
            } else {
                0.0
            }
        })
        .collect();
    Ok((
        Problem::Regression,
        LabelReading::Values {
            scaled: Some(ValueScaling { min, max }),
        },
        values,
    ))
}

/// Every label a class name, numbered in order of first appearance.
fn class_names(rows: &[Row]) -> Result<(Problem, LabelReading, Vec<f64>), CsvError> {
    let mut names: Vec<String> = Vec::new();
    let mut values = Vec::with_capacity(rows.len());
    for row in rows {
        let index = match names.iter().position(|n| *n == row.label) {
            Some(index) => index,
            None if names.len() == MAX_CLASSES => {
                let mut listed: Vec<String> = names.iter().map(|n| shorten(n)).collect();
                listed.push(shorten(&row.label));
                return Err(CsvError::TooManyClasses { names: listed });
            }
            None => {
                names.push(row.label.clone());
                names.len() - 1
            }
        };
        values.push(index as f64);
    }
    if names.len() < 2 {
        return Err(CsvError::OneClass {
            label: shorten(&names.concat()),
        });
    }
    let problem = classification(names.len());
    Ok((problem, LabelReading::ClassNames { names }, values))
}

fn classification(classes: usize) -> Problem {
    if classes <= 2 {
        Problem::Binary
    } else {
        Problem::Multiclass { classes }
    }
}
