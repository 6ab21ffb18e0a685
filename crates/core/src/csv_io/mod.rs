//! CSV in and out: the user's own points imported from `x1,x2,label` text, and the data set and
//! loss history exported for a spreadsheet.
//!
//! Import rules (shown to the user by the import dialog):
//! - One point a row: `x1,x2,label`; a first row whose first value is not a number is a
//!   header. Commas separate values (or `;` when the first line has one, then `1,5` is
//!   read as 1.5; or tabs, when the first line has neither);
//!   spaces around values are ignored; `#` starts a comment line; columns after the third are
//!   ignored (so an export with its `set` column reads back).
//! - Labels: if every label is a whole number from 0 to 4, they are class indices
//!   (classification with as many classes as the largest index + 1); if every label is a
//!   number but not all are such class indices, they are regression values (kept when all lie
//!   in [-1, 1], otherwise mapped linearly from [min, max] onto [-1, 1]); otherwise every label
//!   is a class name, numbered in order of first appearance. At most 5 classes.
//! - Coordinates: kept when every point lies in the plane `[-6, 6]²`; otherwise the bounding
//!   box is centred on the origin and its longer side scaled to [-5, 5] (the same factor on
//!   both axes, so shapes keep their proportions). [`CsvPreview::scaling`] says which.
//! - Rows that cannot be read are skipped and listed with their line number and the reason;
//!   the rest are kept.

mod export;
mod import;

pub use export::{dataset_csv, history_csv};
pub use import::{
    CsvError, CsvPreview, CsvRowError, LabelReading, Scaling, ValueScaling, import_csv,
};

#[cfg(test)]
mod tests;
