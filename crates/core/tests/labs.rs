//! Every lab registered in `run::lab` works through the one interface hosts use: its link
//! round-trips, its messages survive postcard, and the shared driver trains it.
#![allow(clippy::expect_used)]

use emberlab_core::Device;
use emberlab_core::lab::{LabKind, LabState};
use emberlab_core::link;
use emberlab_core::run::{
    Driver, HOSTED_LABS, LabCheckpoint, LabObservation, LabSetup, Steps, Watch,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) {
    let bytes = postcard::to_allocvec(value).expect("serialises");
    let back: T = postcard::from_bytes(&bytes).expect("deserialises");
    assert_eq!(&back, value);
}

#[test]
fn every_lab_but_the_playground_is_hosted_through_the_run_layer() {
    let expected: Vec<LabKind> = LabKind::ALL
        .into_iter()
        .filter(|k| *k != LabKind::Playground)
        .collect();
    assert_eq!(HOSTED_LABS, expected.as_slice());
}

#[test]
fn each_hosted_lab_round_trips_its_link_and_messages_and_trains_a_slice() {
    for &kind in HOSTED_LABS {
        let state = kind.default_state();
        let text = link::encode(&state);
        let decoded = link::decode(&text);
        assert!(decoded.errors.is_empty(), "{kind:?}: {:?}", decoded.errors);
        assert_eq!(decoded.state, state, "{kind:?}: link round trip");

        let setup = LabSetup::from_state(&state).expect("a hosted lab has a setup");
        assert_eq!(setup.kind(), kind);
        round_trip(&setup);
        round_trip(&setup.default_request());

        let mut driver = Driver::default();
        driver
            .open(setup.clone(), Device::flex(), None)
            .unwrap_or_else(|e| panic!("{kind:?} opens: {e}"));
        driver.play(true);
        // A fake clock: every look at it is 1 ms later, so the slice takes a few steps.
        let tick = std::cell::Cell::new(0.0);
        let now = || {
            tick.set(tick.get() + 1.0);
            tick.get()
        };
        assert!(driver.train_slice(&now, 3.0), "{kind:?} trained");
        assert!(driver.observation_due(now(), true));
        let pending = driver.queue_observation(now()).expect("an observation");
        let observation: LabObservation = pollster::block_on(pending).expect("read back");
        round_trip(&observation);
        assert_eq!(observation.epoch(), driver.epoch());
        let metrics = observation
            .main_metrics()
            .unwrap_or_else(|| panic!("{kind:?}: the first observation has metrics"));
        assert!(metrics.train_loss.is_finite() && metrics.test_loss.is_finite());
        let Watch::Sane(Some((epoch, pending))) = driver.watch(&observation) else {
            panic!("{kind:?}: a finite loss is sane and asks for a checkpoint");
        };
        let checkpoint: LabCheckpoint = pollster::block_on(pending).expect("weights");
        round_trip(&checkpoint);
        driver.keep_good(epoch, checkpoint.clone());

        // The checkpoint resumes at its epoch, on a fresh driver as on the same one.
        let mut resumed = Driver::default();
        resumed
            .open(setup.clone(), Device::flex(), Some(checkpoint.clone()))
            .expect("resumes");
        assert_eq!(resumed.epoch(), epoch, "{kind:?}");
        assert_eq!(resumed.last_good().map(|(e, _)| *e), Some(epoch));
        // Weights of another lab are refused with a sentence, not a panic.
        let other = HOSTED_LABS
            .iter()
            .find(|k| **k != kind)
            .expect("another lab");
        let other_setup = LabSetup::from_state(&other.default_state()).expect("setup");
        let refused = other_setup.open(Device::flex(), Some(&checkpoint));
        assert!(refused.is_err(), "{kind:?} weights into {other:?}");
    }
}

#[test]
fn stepping_trains_exactly_to_the_end_of_the_epoch() {
    let setup = LabSetup::from_state(&LabState::Recurrence(Default::default())).expect("setup");
    let mut driver = Driver::default();
    driver.open(setup, Device::flex(), None).expect("opens");
    driver.step_epoch();
    let tick = std::cell::Cell::new(0.0);
    let now = || {
        tick.set(tick.get() + 1.0);
        tick.get()
    };
    while driver.playing() {
        driver.train_slice(&now, 50.0);
    }
    assert_eq!(driver.epoch(), 1);
    let mut session = LabSetup::from_state(&LabState::Recurrence(Default::default()))
        .expect("setup")
        .open(Device::flex(), None)
        .expect("opens");
    let per_epoch = session.steps_per_epoch();
    session.train_epochs(1);
    assert_eq!(session.steps(), per_epoch as u64);
}
