//! Every protocol message survives postcard, and nothing too large or malformed is read.

use std::sync::OnceLock;

use emberlab_core::Device;
use emberlab_core::attention::{AttentionConfig, AttentionRequest};
use emberlab_core::digits::{DigitsConfig, DigitsRequest};
use emberlab_core::recurrence::{RecurrenceConfig, RecurrenceRequest, SweepPoint, SweepProgress};
use emberlab_core::run::{Driver, HOSTED_LABS, LabCheckpoint, LabObservation, LabSetup};
use proptest::prelude::*;

use super::*;

fn setup(which: usize, seed: u64, rate: f64) -> LabSetup {
    match which {
        0 => LabSetup::Digits(DigitsConfig {
            seed,
            ..DigitsConfig::default()
        }),
        1 => LabSetup::Recurrence(RecurrenceConfig {
            seed,
            learning_rate: rate,
            ..RecurrenceConfig::default()
        }),
        _ => LabSetup::Attention(AttentionConfig {
            seed,
            learning_rate: rate,
            ..AttentionConfig::default()
        }),
    }
}

/// A real observation and checkpoint of every hosted lab (made once: a session is built,
/// trains one step and is read back).
fn samples() -> &'static [(LabObservation, LabCheckpoint)] {
    static SAMPLES: OnceLock<Vec<(LabObservation, LabCheckpoint)>> = OnceLock::new();
    SAMPLES.get_or_init(|| {
        (0..HOSTED_LABS.len())
            .map(|which| {
                let mut driver = Driver::default();
                let setup = setup(which, 3, 0.01);
                let request = setup.default_request();
                driver
                    .open(setup, Device::flex(), None)
                    .unwrap_or_else(|e| panic!("lab {which} opens: {e}"));
                driver.set_request(request);
                driver.play(true);
                driver.train_slice(&|| 0.0, 0.0);
                let pending = driver.queue_observation(0.0).expect("an observation");
                let observation = pollster::block_on(pending).expect("read back");
                let checkpoint =
                    pollster::block_on(driver.checkpoint().expect("a session")).expect("read");
                (observation, checkpoint)
            })
            .collect()
    })
}

fn backend() -> impl Strategy<Value = BackendKind> {
    prop::sample::select(BackendKind::ALL.to_vec())
}

fn to_worker() -> impl Strategy<Value = ToWorker> {
    let sample = 0..HOSTED_LABS.len();
    prop_oneof![
        (
            0..3usize,
            any::<u64>(),
            1e-6f64..1.0,
            backend(),
            any::<bool>(),
            sample
        )
            .prop_map(
                |(which, seed, rate, backend, resume, sample)| ToWorker::Open {
                    setup: setup(which, seed, rate),
                    backend,
                    resume: resume.then(|| samples()[sample].1.clone()),
                }
            ),
        any::<bool>().prop_map(ToWorker::Play),
        Just(ToWorker::Step),
        (-1e9f64..1e9).prop_map(ToWorker::SetLearningRate),
        (any::<Option<u32>>(), any::<bool>()).prop_map(|(sequence, metrics)| {
            ToWorker::Request(LabRequest::Recurrence(RecurrenceRequest {
                metrics,
                gradients: !metrics,
                sequence,
            }))
        }),
        Just(ToWorker::Request(LabRequest::Digits(
            DigitsRequest::default()
        ))),
        Just(ToWorker::Request(LabRequest::Attention(
            AttentionRequest::metrics()
        ))),
        Just(ToWorker::Checkpoint),
        Just(ToWorker::Sweep),
    ]
}

fn error() -> impl Strategy<Value = WorkerError> {
    (0..8usize, ".{0,80}").prop_map(|(kind, text)| match kind {
        0 => WorkerError::Open(text),
        1 => WorkerError::Message(text),
        2 => WorkerError::Training(text),
        3 => WorkerError::Checkpoint(text),
        4 => WorkerError::LearningRate(text),
        5 => WorkerError::Sweep(text),
        6 => WorkerError::Settings(text),
        _ => WorkerError::Crashed(text),
    })
}

fn from_worker() -> impl Strategy<Value = FromWorker> {
    let sample = 0..HOSTED_LABS.len();
    prop_oneof![
        Just(FromWorker::Ready),
        (backend(), ".{0,80}").prop_map(|(backend, reason)| FromWorker::Opened { backend, reason }),
        (sample.clone(), any::<bool>(), 0f64..1e6, 0f64..1e3).prop_map(
            |(i, playing, epochs_per_second, ms_per_step)| FromWorker::Observation {
                observation: samples()[i].0.clone(),
                playing,
                epochs_per_second,
                ms_per_step,
            }
        ),
        sample
            .clone()
            .prop_map(|i| FromWorker::Checkpoint(samples()[i].1.clone())),
        sample.prop_map(|i| FromWorker::LastGood(samples()[i].1.clone())),
        (
            0..10usize,
            0..1000u64,
            prop::collection::vec((1..100u32, 0f32..1.0), 0..6)
        )
            .prop_map(|(done, steps, points)| FromWorker::Sweep {
                progress: SweepProgress {
                    lengths_done: done,
                    lengths: 10,
                    steps_done: steps,
                    steps_total: 1000,
                },
                points: points
                    .into_iter()
                    .map(|(length, a)| SweepPoint {
                        length,
                        test_accuracy: [a; 3],
                        test_loss: [1.0 - a; 3],
                    })
                    .collect(),
            }),
        ".{0,200}".prop_map(FromWorker::Diverged),
        error().prop_map(FromWorker::Error),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_page_message_round_trips(message in to_worker()) {
        let bytes = encode(&message).expect("fits");
        prop_assert_eq!(decode::<ToWorker>(&bytes), Ok(message));
    }

    #[test]
    fn every_worker_message_round_trips(message in from_worker()) {
        let bytes = encode(&message).expect("fits");
        prop_assert_eq!(decode::<FromWorker>(&bytes), Ok(message));
    }

    #[test]
    fn cut_or_garbled_bytes_are_an_error_never_a_panic(
        message in from_worker(),
        cut in any::<prop::sample::Index>(),
        noise in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let bytes = encode(&message).expect("fits");
        let _ = decode::<FromWorker>(&bytes[..cut.index(bytes.len().max(1))]);
        let _ = decode::<ToWorker>(&noise);
    }
}

#[test]
fn messages_over_the_cap_are_refused_both_ways() {
    let huge = FromWorker::Diverged("x".repeat(MAX_MESSAGE_BYTES + 1));
    assert!(matches!(encode(&huge), Err(WorkerError::Message(_))));
    let bytes = vec![0u8; MAX_MESSAGE_BYTES + 1];
    assert!(matches!(
        decode::<FromWorker>(&bytes),
        Err(WorkerError::Message(m)) if m.contains("over the limit")
    ));
}

#[test]
fn worker_errors_read_as_sentences() {
    let crashed = WorkerError::Crashed("out of memory".into()).to_string();
    assert!(crashed.starts_with("Training stopped"), "{crashed}");
    assert!(crashed.contains("press Play"), "{crashed}");
    assert!(WorkerError::Crashed(String::new()).stops_training());
    assert!(!WorkerError::LearningRate("too big".into()).stops_training());
    assert_eq!(
        WorkerError::LearningRate("learning rate 5 is invalid".into()).to_string(),
        "Learning rate 5 is invalid. The learning rate is unchanged."
    );
}
