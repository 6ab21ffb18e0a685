//! The convolution lab, natively on burn Flex: the shipped data, learning, gradients,
//! determinism, observations and resuming.
#![allow(clippy::unwrap_used)]

use burn::tensor::{Device, Tensor, TensorData};
use emberlab_core::Steps;
use emberlab_core::digits::limits::{CLASSES, MAX_MISTAKES, PIXELS};
use emberlab_core::digits::model::cross_entropy;
use emberlab_core::digits::{
    CnnConfig, Digits, DigitsCheckpoint, DigitsConfig, DigitsObservation, DigitsRequest,
    DigitsSession, DrawnDigit, Kernel, Probe,
};
use emberlab_core::network::Activation;
use emberlab_core::run::{load_params, queue_params, seeded_init};

fn session(config: &DigitsConfig) -> DigitsSession {
    DigitsSession::new(config.validate().unwrap(), Device::flex())
}

/// An observation with filters and the given probe.
fn observe(session: &mut DigitsSession, probe: Option<Probe>) -> DigitsObservation {
    let request = DigitsRequest {
        probe,
        filters: true,
    };
    pollster::block_on(session.observe(&request)).unwrap()
}

/// An observation evaluated at the current weights (a second observation without steps in
/// between is one taken while paused).
fn observe_now(session: &mut DigitsSession) -> DigitsObservation {
    observe(session, None);
    let o = observe(session, None);
    assert_eq!(o.evaluated_steps, o.steps);
    o
}

fn checkpoint(session: &DigitsSession) -> DigitsCheckpoint {
    pollster::block_on(session.checkpoint().read()).unwrap()
}

#[test]
fn the_digits_load_with_the_known_counts_and_shapes() {
    let digits = Digits::get();
    assert_eq!(digits.len(), 1797);
    // scikit-learn's `load_digits()` per-class counts.
    assert_eq!(
        digits.class_counts(),
        [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    );
    for i in 0..digits.len() {
        let pixels = digits.pixels(i).unwrap();
        assert_eq!(pixels.len(), PIXELS);
        assert!(pixels.iter().all(|&p| p <= 16));
    }
    assert!(digits.pixels(1797).is_none());
    // The first row of scikit-learn's digits.csv: a 0.
    assert_eq!(digits.label(0), Some(0));
    assert_eq!(
        &digits.pixels(0).unwrap()[..16],
        &[0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0]
    );
    assert_eq!(digits.label(1796), Some(8));
    let (x, y) = digits.inputs(&[0, 1]);
    assert_eq!((x.len(), y), (2 * PIXELS, vec![0, 1]));
    assert!(x.iter().all(|v| (0.0..=1.0).contains(v)));
}

#[test]
fn the_cnn_passes_95_percent_on_the_test_set_within_4_epochs() {
    let mut session = session(&DigitsConfig::default());
    let start = std::time::Instant::now();
    session.train_epochs(4);
    let elapsed = start.elapsed();
    let start = std::time::Instant::now();
    let o = observe(&mut session, Some(Probe::Test(0)));
    let fresh = start.elapsed();
    let start = std::time::Instant::now();
    observe(&mut session, Some(Probe::Test(1)));
    println!(
        "observation {fresh:?}, {:?} when no step was taken since",
        start.elapsed()
    );
    let (cnn, dense) = (o.cnn.metrics, o.dense.metrics);
    println!(
        "4 epochs, {} steps in {elapsed:?} ({:.2} ms/step, both models); \
         cnn {} params: test acc {:?}, loss {}; dense {} params: test acc {:?}, loss {}",
        session.steps(),
        elapsed.as_secs_f64() * 1e3 / session.steps() as f64,
        o.cnn.parameters,
        cnn.test_accuracy,
        cnn.test_loss,
        o.dense.parameters,
        dense.test_accuracy,
        dense.test_loss,
    );
    assert_eq!(o.epoch, 4);
    assert!(cnn.test_accuracy.unwrap() >= 0.95, "{cnn:?}");
    assert!(cnn.train_loss < 0.2, "{cnn:?}");
    assert!(
        dense.test_accuracy.unwrap() >= 0.85,
        "the dense net learns too: {dense:?}"
    );
}

/// A tiny convolutional model (4 tanh filters, pooling) on 8 test images.
#[test]
fn convolution_gradients_match_central_differences() {
    let device = Device::flex();
    let autodiff = device.clone().autodiff();
    let config = CnnConfig::new(vec![4]).with_activation(Activation::Tanh);
    let model = seeded_init(config.init(&autodiff), 11);
    let digits = Digits::get();
    let images: Vec<usize> = (0..8).collect();
    let (x, labels) = digits.inputs(&images);
    let one_hot: Vec<f32> = labels
        .iter()
        .flat_map(|&l| (0..CLASSES).map(move |c| f32::from(u8::from(usize::from(l) == c))))
        .collect();
    let batch = |device: &Device| {
        (
            Tensor::<4>::from_data(TensorData::new(x.clone(), [8, 1, 8, 8]), device),
            Tensor::<2>::from_data(TensorData::new(one_hot.clone(), [8, CLASSES]), device),
        )
    };

    let (xs, ys) = batch(&autodiff);
    let loss = cross_entropy(model.forward(xs), ys);
    let grads = loss.backward();
    let filters = model.filters()[0].grad(&grads).unwrap();
    let analytic = filters.into_data().try_into_vec::<f32>().unwrap();
    assert_eq!(analytic.len(), 4 * 9);

    let params = pollster::block_on(queue_params(&model).read()).unwrap();
    assert_eq!(params.shapes[0], vec![4, 1, 3, 3], "the filters come first");
    let loss_at = |values: &[f32]| {
        let mut p = params.clone();
        p.values[..values.len()].copy_from_slice(values);
        let m = load_params(config.init(&device), &p).unwrap();
        let (xs, ys) = batch(&device);
        let loss = cross_entropy(m.forward(xs), ys);
        f64::from(loss.into_data().try_into_vec::<f32>().unwrap()[0])
    };
    const EPS: f32 = 1e-3;
    let base = params.tensor(0).to_vec();
    for (i, &a) in analytic.iter().enumerate() {
        let mut plus = base.clone();
        plus[i] += EPS;
        let mut minus = base.clone();
        minus[i] -= EPS;
        let numeric = (loss_at(&plus) - loss_at(&minus)) / (2.0 * f64::from(EPS));
        let a = f64::from(a);
        assert!(
            (numeric - a).abs() <= 5e-4 + 0.02 * a.abs(),
            "filter weight {i}: autodiff {a}, central difference {numeric}"
        );
    }
    assert!(
        analytic.iter().any(|g| g.abs() > 1e-3),
        "gradients are not all ~0"
    );
}

#[test]
fn the_same_seed_gives_the_same_run_bit_for_bit() {
    let mut config = DigitsConfig::default();
    config.cnn.dropout = 0.2;
    config.dense.dropout = 0.2;
    let run = |config: &DigitsConfig| {
        let mut s = session(config);
        s.train_steps(40);
        observe(&mut s, Some(Probe::Test(3)))
    };
    let a = run(&config);
    assert_eq!(a, run(&config));
    config.seed = 2;
    let b = run(&config);
    assert_ne!(a.cnn.metrics, b.cnn.metrics);
    assert_ne!(a.dense.metrics, b.dense.metrics);
}

#[test]
fn observations_are_consistent_with_the_config() {
    let config = DigitsConfig {
        cnn: CnnConfig::new(vec![4, 6, 8]).with_kernel(Kernel::Five),
        ..DigitsConfig::default()
    };
    let mut s = session(&config);
    s.train_steps(10);
    let test_len = s.test_len() as u32;
    let o = observe(&mut s, Some(Probe::Test(5)));
    for report in [&o.cnn, &o.dense] {
        assert_eq!(report.confusion.len(), CLASSES * CLASSES);
        assert_eq!(report.confusion.iter().sum::<u32>(), test_len);
        let correct: u32 = (0..CLASSES).map(|c| report.confusion_at(c, c)).sum();
        let accuracy = report.metrics.test_accuracy.unwrap();
        assert!((accuracy - correct as f32 / test_len as f32).abs() < 1e-6);
        assert!(report.mistakes.len() <= MAX_MISTAKES);
        assert_eq!(
            report.mistakes.len(),
            ((test_len - correct) as usize).min(MAX_MISTAKES)
        );
        for m in &report.mistakes {
            assert_ne!(m.label, m.predicted);
            assert!(m.test_index < test_len);
        }
    }
    // Parameter counts: convolutions (weights + biases), then the classifier on 8 maps of 1×1.
    let cnn_params = (4 * 25 + 4) + (6 * 4 * 25 + 6) + (8 * 6 * 25 + 8) + (8 * 10 + 10);
    assert_eq!(o.cnn.parameters, cnn_params);
    assert_eq!(o.dense.parameters, 64 * 64 + 64 + 64 * 10 + 10);
    assert_eq!(s.parameter_counts(), (cnn_params as usize, 4810));

    let shapes = |t: &[emberlab_core::digits::FlatTensor]| -> Vec<Vec<u32>> {
        t.iter().map(|t| t.shape.clone()).collect()
    };
    assert_eq!(
        shapes(&o.filters),
        [vec![4, 1, 5, 5], vec![6, 4, 5, 5], vec![8, 6, 5, 5]]
    );
    for t in o.filters.iter() {
        assert_eq!(t.values.len(), t.shape.iter().product::<u32>() as usize);
    }
    let probe = o.probe.unwrap();
    assert_eq!(
        shapes(&probe.feature_maps),
        [vec![4, 4, 4], vec![6, 2, 2], vec![8, 1, 1]]
    );
    assert_eq!(probe.pixels.len(), PIXELS);
    let split = s.experiment().split();
    assert_eq!(probe.label, Digits::get().label(split.test[5]));
    let raw: Vec<f32> = Digits::get()
        .pixels(split.test[5])
        .unwrap()
        .iter()
        .map(|&p| f32::from(p))
        .collect();
    assert_eq!(probe.pixels, raw);
    for p in [&probe.cnn_probabilities, &probe.dense_probabilities] {
        assert_eq!(p.len(), CLASSES);
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        assert!(p.iter().all(|&v| (0.0..=1.0).contains(&v)));
    }
    // ReLU maps are never negative.
    assert!(
        probe
            .feature_maps
            .iter()
            .all(|m| m.values.iter().all(|&v| v >= 0.0))
    );

    // Without pooling, maps keep the image size.
    let config = DigitsConfig {
        cnn: CnnConfig::new(vec![5]).with_pool(false),
        ..DigitsConfig::default()
    };
    let mut s = session(&config);
    let o = observe(&mut s, Some(Probe::Test(0)));
    assert_eq!(shapes(&o.probe.unwrap().feature_maps), [vec![5, 8, 8]]);
    assert_eq!(o.cnn.parameters, (5 * 9 + 5) + (5 * 64 * 10 + 10));

    // A test index past the end gives no probe; the rest is unaffected.
    let o = observe(&mut s, Some(Probe::Test(test_len + 1000)));
    assert!(o.probe.is_none());
}

#[test]
fn drawn_digits_are_probed_even_when_empty() {
    let mut s = session(&DigitsConfig::default());
    s.train_steps(45);
    for pixels in [[0.0; PIXELS], [16.0; PIXELS]] {
        let digit = DrawnDigit::new(&pixels).unwrap();
        let o = observe(&mut s, Some(Probe::Drawn(digit)));
        let probe = o.probe.unwrap();
        assert_eq!(probe.pixels, pixels.to_vec());
        assert_eq!(probe.label, None);
        for p in [&probe.cnn_probabilities, &probe.dense_probabilities] {
            assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-5, "{p:?}");
        }
    }
    // A vertical stroke drawn on a canvas reads as a 1 once the CNN has trained a little.
    let side = 64;
    let mut ink = vec![0.0; side * side];
    for y in 8..56 {
        for x in 29..36 {
            ink[y * side + x] = 1.0;
        }
    }
    s.train_epochs(3);
    let o = observe(&mut s, Some(Probe::Drawn(DrawnDigit::from_ink(&ink, side))));
    let p = o.probe.unwrap().cnn_probabilities;
    let best = (0..CLASSES).max_by(|&a, &b| p[a].total_cmp(&p[b])).unwrap();
    println!("stroke probabilities {p:?}");
    assert_eq!(best, 1, "{p:?}");

    assert!(DrawnDigit::new(&[0.0; 63]).is_err());
    assert!(DrawnDigit::new(&[17.0; 64]).is_err());
    let bad = postcard::to_allocvec(&vec![f32::NAN; 64]).unwrap();
    assert!(postcard::from_bytes::<DrawnDigit>(&bad).is_err());
}

#[test]
fn observations_cross_the_worker_boundary_compactly() {
    let mut s = session(&DigitsConfig::default());
    s.train_steps(5);
    for filters in [false, true] {
        let request = DigitsRequest {
            probe: Some(Probe::Test(7)),
            filters,
        };
        let bytes = postcard::to_allocvec(&request).unwrap();
        assert_eq!(
            postcard::from_bytes::<DigitsRequest>(&bytes).unwrap(),
            request
        );
        let o = pollster::block_on(s.observe(&request)).unwrap();
        let bytes = postcard::to_allocvec(&o).unwrap();
        println!("observation with filters {filters}: {} bytes", bytes.len());
        // Filters: 16·9 + 32·16·9 = 4 752 values of 4 bytes.
        let limit = if filters { 4_000 + 4_752 * 4 } else { 4_000 };
        assert!(bytes.len() < limit, "{} bytes", bytes.len());
        assert_eq!(o.filters.is_empty(), !filters);
        assert_eq!(
            postcard::from_bytes::<DigitsObservation>(&bytes).unwrap(),
            o
        );
    }
}

#[test]
fn a_resumed_session_continues_from_the_checkpoint() {
    let config = DigitsConfig::default();
    let mut original = session(&config);
    original.train_epochs(1);
    let saved = checkpoint(&original);
    assert_eq!(saved.epoch, 1);
    assert_eq!(saved.cnn.count(), original.parameter_counts().0);
    let before = observe(&mut original, Some(Probe::Test(2)));

    // Through a share link's bytes.
    let bytes = postcard::to_allocvec(&saved).unwrap();
    let saved: DigitsCheckpoint = postcard::from_bytes(&bytes).unwrap();
    let resume =
        || DigitsSession::resume(config.validate().unwrap(), Device::flex(), &saved).unwrap();
    let mut a = resume();
    let mut b = resume();
    let after = observe(&mut a, Some(Probe::Test(2)));
    assert_eq!(after.epoch, 1);
    assert_eq!(
        after.cnn, before.cnn,
        "same weights, same losses and confusion"
    );
    assert_eq!(after.dense, before.dense);
    assert_eq!(after.filters, before.filters);
    assert_eq!(after.probe, before.probe);

    // Resumed runs continue deterministically, and they keep learning.
    a.train_epochs(1);
    b.train_epochs(1);
    let (oa, ob) = (observe(&mut a, None), observe(&mut b, None));
    assert_eq!(oa, ob);
    assert_eq!(oa.evaluated_steps, 45, "evaluated at the epoch's end");
    assert_eq!(oa.epoch, 2);
    assert!(oa.cnn.metrics.train_loss < before.cnn.metrics.train_loss);

    // Parameters of another architecture do not fit.
    let mut other = config.clone();
    other.cnn.filters = vec![8];
    assert!(DigitsSession::resume(other.validate().unwrap(), Device::flex(), &saved).is_err());
}

#[test]
fn the_learning_rate_changes_live() {
    let config = DigitsConfig::default();
    let mut a = session(&config);
    let mut b = session(&config);
    assert!(b.set_learning_rate(0.0).is_err());
    assert!(b.set_learning_rate(f64::INFINITY).is_err());
    assert_eq!(b.learning_rate(), 0.01);
    a.train_steps(10);
    b.train_steps(10);
    assert_eq!(observe(&mut a, None), observe(&mut b, None));
    b.set_learning_rate(1e-6).unwrap();
    assert_eq!(b.learning_rate(), 1e-6);
    let before = observe(&mut b, None);
    a.train_steps(10);
    b.train_steps(10);
    let (oa, ob) = (observe_now(&mut a), observe_now(&mut b));
    assert_ne!(oa.cnn.metrics, ob.cnn.metrics);
    // At 1e-6 the weights barely move.
    let moved = ob.filters[0]
        .values
        .iter()
        .zip(&before.filters[0].values)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max);
    assert!(moved < 1e-4, "filters moved {moved}");
    assert_eq!(ob.epoch, 0);
    assert_eq!(b.steps(), 20);
}

#[test]
fn evaluations_run_at_epoch_ends_and_when_paused() {
    let mut s = session(&DigitsConfig::default());
    let first = observe(&mut s, None);
    assert_eq!(
        (first.steps, first.evaluated_steps),
        (0, 0),
        "a first evaluation at once"
    );
    assert_eq!(first.cnn.metrics.epoch, 0);
    s.train_steps(10);
    let training = observe(&mut s, None);
    assert_eq!(
        (training.steps, training.evaluated_steps),
        (10, 0),
        "not while training"
    );
    assert_eq!(training.cnn, first.cnn);
    let paused = observe(&mut s, None);
    assert_eq!(
        (paused.steps, paused.evaluated_steps),
        (10, 10),
        "paused: evaluated"
    );
    assert_ne!(paused.cnn.metrics, first.cnn.metrics);
    s.train_steps(40);
    let o = observe(&mut s, None);
    assert_eq!(
        (o.steps, o.evaluated_steps, o.epoch),
        (50, 45, 1),
        "at the epoch's end"
    );
    assert_eq!(o.cnn.metrics.epoch, 1);
}

#[test]
fn epochs_and_steps_are_counted() {
    let mut s = session(&DigitsConfig::default());
    assert_eq!(s.steps_per_epoch(), 1438usize.div_ceil(32));
    assert_eq!(s.steps_left_in_epoch(), 45);
    assert_eq!(s.train_steps(44), 0);
    assert_eq!(s.steps_left_in_epoch(), 1);
    assert_eq!(s.train_steps(1), 1);
    assert_eq!((s.epoch(), s.steps()), (1, 45));
    assert_eq!(s.steps_left_in_epoch(), 45);
}
