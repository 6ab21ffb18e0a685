//! The 8 × 8 handwritten digits (UCI "Optical Recognition of Handwritten Digits", the copy
//! bundled with scikit-learn: 1 797 images) and their seeded, stratified train/test split.
//!
//! The images ship deflated in `assets/digits/` (44 KB; see its README for the source, the
//! licence and how the file was made) and are inflated once, on first use.

use std::sync::OnceLock;

use super::limits::{CLASSES, MAX_PIXEL, PIXELS};
use crate::rng::Rng;

/// The deflated images: `N` label bytes, then `N × 64` pixel bytes (0..=16), image-major.
const PACKED: &[u8] = include_bytes!("../../../../assets/digits/digits.u8.zlib");
/// Images in the data set.
pub const IMAGES: usize = 1797;
/// Stream of the split's shuffles.
const SPLIT_STREAM: u64 = 0x5B17_D161;

/// The whole data set: labels and raw pixels (0 to 16).
#[derive(Debug, Clone, PartialEq)]
pub struct Digits {
    labels: Vec<u8>,
    pixels: Vec<u8>,
}

impl Digits {
    /// The shipped data set (inflated on first use, then shared).
    pub fn get() -> &'static Digits {
        static DIGITS: OnceLock<Digits> = OnceLock::new();
        DIGITS.get_or_init(|| Digits::unpack(PACKED).unwrap_or_else(Digits::empty))
    }

    fn empty() -> Self {
        Self {
            labels: Vec::new(),
            pixels: Vec::new(),
        }
    }

    /// Inflates and checks the packed bytes; `None` if they are not a well-formed set.
    fn unpack(packed: &[u8]) -> Option<Self> {
        let raw = miniz_oxide::inflate::decompress_to_vec_zlib(packed).ok()?;
        if raw.len() % (PIXELS + 1) != 0 {
            return None;
        }
        let n = raw.len() / (PIXELS + 1);
        let (labels, pixels) = raw.split_at(n);
        let valid = labels.iter().all(|&l| usize::from(l) < CLASSES)
            && pixels.iter().all(|&p| f32::from(p) <= MAX_PIXEL);
        valid.then(|| Self {
            labels: labels.to_vec(),
            pixels: pixels.to_vec(),
        })
    }

    /// Number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no images (only if the shipped file were broken).
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Label (0 to 9) of image `index`.
    pub fn label(&self, index: usize) -> Option<u8> {
        self.labels.get(index).copied()
    }

    /// Every label, image by image.
    pub fn labels(&self) -> &[u8] {
        &self.labels
    }

    /// The 64 raw pixels (0 to 16, row-major, top row first) of image `index`.
    pub fn pixels(&self, index: usize) -> Option<&[u8]> {
        self.pixels.get(index * PIXELS..(index + 1) * PIXELS)
    }

    /// Images per class.
    pub fn class_counts(&self) -> [usize; CLASSES] {
        let mut counts = [0; CLASSES];
        for &l in &self.labels {
            counts[usize::from(l)] += 1;
        }
        counts
    }

    /// The seeded split with `test_percent` of each class held out for testing.
    pub fn split(&self, test_percent: u32, seed: u64) -> Split {
        let mut rng = Rng::new(seed ^ SPLIT_STREAM);
        let mut train = Vec::new();
        let mut test = Vec::new();
        for class in 0..CLASSES {
            let mut members: Vec<usize> = (0..self.len())
                .filter(|&i| usize::from(self.labels[i]) == class)
                .collect();
            rng.shuffle(&mut members);
            let held = (members.len() * test_percent as usize + 50) / 100;
            test.extend_from_slice(&members[..held]);
            train.extend_from_slice(&members[held..]);
        }
        train.sort_unstable();
        test.sort_unstable();
        Split { train, test }
    }

    /// Row-major inputs scaled to `[0, 1]` (pixel / 16) and labels of the images `indices`.
    pub fn inputs(&self, indices: &[usize]) -> (Vec<f32>, Vec<u8>) {
        let mut x = Vec::with_capacity(indices.len() * PIXELS);
        let mut y = Vec::with_capacity(indices.len());
        for &i in indices {
            if let (Some(p), Some(l)) = (self.pixels(i), self.label(i)) {
                x.extend(p.iter().map(|&v| f32::from(v) / MAX_PIXEL));
                y.push(l);
            }
        }
        (x, y)
    }
}

/// Which images train and which test: indices into [`Digits`], ascending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Training images.
    pub train: Vec<usize>,
    /// Test images; an observation's "test index" is a position in this list.
    pub test: Vec<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_is_stratified_disjoint_and_seeded() {
        let digits = Digits::get();
        let split = digits.split(20, 5);
        assert_eq!(split.train.len() + split.test.len(), IMAGES);
        assert!(
            split
                .train
                .iter()
                .all(|i| split.test.binary_search(i).is_err())
        );
        let mut per_class = [0usize; CLASSES];
        for &i in &split.test {
            per_class[usize::from(digits.labels()[i])] += 1;
        }
        for (held, total) in per_class.iter().zip(digits.class_counts()) {
            assert_eq!(*held, (total * 20 + 50) / 100);
        }
        assert_eq!(split, digits.split(20, 5));
        assert_ne!(split, digits.split(20, 6));
    }

    #[test]
    fn broken_bytes_are_refused() {
        assert_eq!(Digits::unpack(b"not deflate"), None);
        let short = miniz_oxide::deflate::compress_to_vec_zlib(&[1; 64], 6);
        assert_eq!(Digits::unpack(&short), None);
        let bad_label = miniz_oxide::deflate::compress_to_vec_zlib(&[10; 65], 6);
        assert_eq!(Digits::unpack(&bad_label), None);
    }
}
