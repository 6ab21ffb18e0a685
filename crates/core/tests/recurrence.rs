//! The recurrence lab's core: learning, vanishing gradients, determinism, resume.
#![allow(clippy::unwrap_used)]

use std::time::Instant;

use emberlab_core::Device;
use emberlab_core::Steps;
use emberlab_core::recurrence::*;

fn observe(session: &mut RecurrenceSession, request: &RecurrenceRequest) -> RecurrenceObservation {
    pollster::block_on(session.observe(request)).unwrap()
}

fn metrics_only() -> RecurrenceRequest {
    RecurrenceRequest {
        metrics: true,
        gradients: false,
        sequence: None,
    }
}

fn session(edit: impl FnOnce(&mut RecurrenceConfig)) -> RecurrenceSession {
    let mut config = RecurrenceConfig::default();
    edit(&mut config);
    RecurrenceSession::new(config.validate().unwrap(), Device::flex())
}

fn test_accuracy(o: &RecurrenceObservation, cell: CellKind) -> f32 {
    o.models[cell.index()].metrics.unwrap().test_accuracy
}

/// `gradient[0] / gradient[T-1]`: how much of the gradient reaches the first step.
fn reach(o: &RecurrenceObservation, cell: CellKind) -> f32 {
    let g = &o.models[cell.index()].gradient;
    g[0] / g[g.len() - 1]
}

#[test]
fn at_five_steps_all_three_networks_learn_the_memory_task() {
    let mut s = session(|c| c.length = 5);
    let start = observe(&mut s, &metrics_only());
    for cell in CellKind::ALL {
        assert!(
            test_accuracy(&start, cell) < 0.4,
            "{cell:?} starts near chance"
        );
    }
    s.train_steps(400);
    let o = observe(&mut s, &metrics_only());
    for cell in CellKind::ALL {
        let acc = test_accuracy(&o, cell);
        assert!(acc >= 0.9, "{cell:?} reached only {acc}");
    }
}

#[test]
fn at_twenty_steps_the_gated_cells_learn_while_the_rnn_stays_at_chance_and_its_gradient_vanishes() {
    // The defaults: memory task, T = 20, 4 symbols (chance 25 %), noisy distractors.
    let mut s = session(|_| {});
    assert_eq!(s.experiment().config().length, 20);
    let gradients = RecurrenceRequest {
        metrics: false,
        gradients: true,
        sequence: None,
    };
    let at_start = observe(&mut s, &gradients);
    let (rnn0, lstm0) = (
        reach(&at_start, CellKind::Rnn),
        reach(&at_start, CellKind::Lstm),
    );
    println!("start: gradient reaching step 1: rnn {rnn0:.1e} lstm {lstm0:.1e}");
    // The keep bias already carries more gradient back through the LSTM at the start.
    assert!(lstm0 > 3.0 * rnn0 && rnn0 < 0.01, "lstm {lstm0} rnn {rnn0}");

    // While learning, observed every 50 steps: one observation can dip (the last step's
    // gradient moves too), so compare medians.
    let start = Instant::now();
    let mut reaches = [Vec::new(), Vec::new()];
    for _ in 0..6 {
        s.train_steps(50);
        let o = observe(&mut s, &gradients);
        for model in &o.models {
            assert_eq!(model.gradient.len(), 20);
            assert!(model.gradient.iter().all(|g| g.is_finite() && *g >= 0.0));
        }
        reaches[0].push(reach(&o, CellKind::Rnn));
        reaches[1].push(reach(&o, CellKind::Lstm));
    }
    let median = |v: &mut Vec<f32>| {
        v.sort_by(f32::total_cmp);
        (v[2] + v[3]) / 2.0
    };
    let (rnn, lstm) = (median(&mut reaches[0]), median(&mut reaches[1]));
    println!("steps 50-300: median gradient reaching step 1: rnn {rnn:.1e} lstm {lstm:.1e}");
    assert!(reaches[0].iter().all(|&r| r < 0.01), "rnn {:?}", reaches[0]);
    assert!(lstm > 100.0 * rnn, "lstm {lstm} vs rnn {rnn}");

    s.train_steps(200);
    let ms_per_step = start.elapsed().as_secs_f64() * 1000.0 / 500.0;
    let o = observe(&mut s, &metrics_only());
    let (rnn, lstm, gru) = (
        test_accuracy(&o, CellKind::Rnn),
        test_accuracy(&o, CellKind::Lstm),
        test_accuracy(&o, CellKind::Gru),
    );
    println!("500 steps ({ms_per_step:.1} ms/step): rnn {rnn:.3} lstm {lstm:.3} gru {gru:.3}");
    assert!(
        lstm >= 0.95 && gru >= 0.95,
        "gated cells: lstm {lstm}, gru {gru}"
    );
    assert!(
        rnn <= 0.4,
        "the vanilla RNN should stay near chance (0.25): {rnn}"
    );
}

#[test]
fn the_same_seed_gives_the_same_run_and_another_seed_does_not() {
    let run = |seed: u64| {
        let mut s = session(|c| {
            c.length = 6;
            c.seed = seed;
        });
        s.train_steps(15);
        observe(&mut s, &RecurrenceRequest::default())
    };
    let a = run(7);
    assert_eq!(a, run(7));
    assert_ne!(a.models[0].metrics, run(8).models[0].metrics);
    assert_eq!((a.steps, a.epoch), (15, 0));
}

#[test]
fn a_traced_sequence_shows_hidden_states_and_lstm_gates_in_range() {
    let mut s = session(|c| {
        c.length = 7;
        c.hidden = 5;
    });
    s.train_steps(10);
    let request = RecurrenceRequest {
        metrics: false,
        gradients: false,
        sequence: Some(3),
    };
    let o = observe(&mut s, &request);
    let seq = o.sequence.as_ref().unwrap();
    assert_eq!(seq.index, 3);
    assert_eq!(seq.tokens, s.data().test.tokens_of(3));
    assert_eq!(seq.inputs.len(), 7 * 8);
    assert_eq!(seq.text.chars().count(), 7);
    assert_eq!(seq.target, seq.tokens[0] as f32);
    for model in &o.models {
        assert!(model.metrics.is_none() && model.gradient.is_empty());
        let trace = model.trace.as_ref().unwrap();
        assert_eq!(trace.hidden.len(), 7 * 5);
        assert!(trace.hidden.iter().all(|h| h.abs() < 1.0));
        let total: f32 = trace.prediction.iter().sum();
        assert!(trace.prediction.len() == 4 && (total - 1.0).abs() < 1e-5);
        match (&trace.gates, model.cell) {
            (Some(g), CellKind::Lstm) => {
                for gate in [&g.input, &g.forget, &g.output] {
                    assert_eq!(gate.len(), 7 * 5);
                    assert!(gate.iter().all(|v| *v > 0.0 && *v < 1.0), "{gate:?}");
                }
                // The keep bias of 2 starts the forget gate mostly open.
                let mean = g.forget.iter().sum::<f32>() / g.forget.len() as f32;
                assert!(mean > 0.7, "forget gate mean {mean}");
            }
            (None, CellKind::Rnn | CellKind::Gru) => {}
            (gates, cell) => panic!("{cell:?} has gates {gates:?}"),
        }
    }
    let past_the_end = RecurrenceRequest {
        sequence: Some(10_000),
        ..request
    };
    assert_eq!(observe(&mut s, &past_the_end).sequence.unwrap().index, 255);
}

#[test]
fn resume_from_saved_params_continues_from_the_same_losses() {
    let config = RecurrenceConfig {
        length: 5,
        train_size: 128,
        ..RecurrenceConfig::default()
    };
    let experiment = config.validate().unwrap();
    let mut a = RecurrenceSession::new(experiment.clone(), Device::flex());
    assert_eq!(a.steps_per_epoch(), 4);
    a.train_steps(9);
    assert_eq!((a.epoch(), a.steps_left_in_epoch()), (2, 3));
    let saved = pollster::block_on(a.checkpoint().read()).unwrap();
    let counts = a.param_counts();
    assert_eq!(
        saved.count(),
        counts.iter().map(|&c| c as usize).sum::<usize>()
    );

    let resume = || RecurrenceSession::resume(experiment.clone(), Device::flex(), &saved, 2);
    let mut b = resume().unwrap();
    assert_eq!((b.epoch(), b.steps()), (2, 0));
    let (oa, ob) = (
        observe(&mut a, &metrics_only()),
        observe(&mut b, &metrics_only()),
    );
    for (ma, mb) in oa.models.iter().zip(&ob.models) {
        let (ma, mb) = (ma.metrics.unwrap(), mb.metrics.unwrap());
        assert_eq!(
            (ma.test_loss, ma.test_accuracy),
            (mb.test_loss, mb.test_accuracy)
        );
    }
    // A resumed run is itself reproducible, and it keeps learning from there.
    let mut c = resume().unwrap();
    b.train_steps(12);
    c.train_steps(12);
    assert_eq!(
        observe(&mut b, &metrics_only()),
        observe(&mut c, &metrics_only())
    );
    assert_eq!(b.epoch(), 5);

    let mut short = saved.clone();
    short.values.pop();
    assert!(RecurrenceSession::resume(experiment.clone(), Device::flex(), &short, 2).is_err());
    let other = RecurrenceConfig {
        hidden: 8,
        ..config
    }
    .validate()
    .unwrap();
    assert!(RecurrenceSession::resume(other, Device::flex(), &saved, 2).is_err());
}

#[test]
fn the_learning_rate_changes_live_and_bad_rates_are_refused() {
    let mut s = session(|c| c.length = 4);
    s.train_steps(3);
    assert!(s.set_learning_rate(0.0).is_err());
    assert!(s.set_learning_rate(f64::INFINITY).is_err());
    assert_eq!(s.learning_rate(), 0.01);
    s.set_learning_rate(0.05).unwrap();
    s.train_steps(2);
    assert_eq!((s.learning_rate(), s.steps()), (0.05, 5));
}

#[test]
fn the_adding_and_bracket_tasks_train_and_report() {
    let mut adding = session(|c| {
        c.task = TaskKind::Adding;
        c.length = 6;
    });
    let start = observe(&mut adding, &metrics_only());
    adding.train_steps(150);
    let o = observe(&mut adding, &RecurrenceRequest::default());
    for (before, after) in start.models.iter().zip(&o.models) {
        let (b, a) = (before.metrics.unwrap(), after.metrics.unwrap());
        assert!(
            a.test_loss < 0.5 * b.test_loss,
            "{:?}: {b:?} -> {a:?}",
            after.cell
        );
        let trace = after.trace.as_ref().unwrap();
        assert_eq!(trace.prediction.len(), 1);
    }
    assert!(o.sequence.unwrap().text.contains(" + "));

    let mut brackets = session(|c| {
        c.task = TaskKind::Brackets;
        c.length = 4;
    });
    brackets.train_steps(150);
    let o = observe(&mut brackets, &RecurrenceRequest::default());
    for cell in CellKind::ALL {
        // Length 4 has 2 balanced strings and 4 unbalanced near misses: learnable at once.
        assert!(test_accuracy(&o, cell) > 0.9, "{cell:?}");
    }
}

#[test]
fn a_sweep_runs_in_small_steps_and_reports_each_length() {
    let base = RecurrenceConfig {
        train_size: 128,
        test_size: 64,
        ..RecurrenceConfig::default()
    }
    .validate()
    .unwrap();
    let mut sweep = Sweep::new(&base, &[3, 4], 20, Device::flex()).unwrap();
    assert_eq!(sweep.progress().steps_total, 40);
    let mut calls = 0;
    while !pollster::block_on(sweep.step(7)).unwrap() {
        calls += 1;
        assert!(calls < 20);
    }
    let progress = sweep.progress();
    assert_eq!((progress.lengths_done, progress.steps_done), (2, 40));
    assert_eq!(progress.fraction(), 1.0);
    let results = sweep.results();
    assert_eq!(
        results.iter().map(|p| p.length).collect::<Vec<_>>(),
        vec![3, 4]
    );
    for point in results {
        assert!(point.test_accuracy.iter().all(|a| (0.0..=1.0).contains(a)));
        assert!(point.accuracy(CellKind::Lstm) >= 0.0);
    }
    assert!(
        pollster::block_on(sweep.step(1)).unwrap(),
        "done stays done"
    );

    let error = |lengths: &[usize], steps| Sweep::new(&base, lengths, steps, Device::flex()).err();
    assert_eq!(error(&[], 10), Some(SweepError::NoLengths));
    assert_eq!(
        error(&[5; 17], 10),
        Some(SweepError::TooManyLengths { count: 17 })
    );
    assert_eq!(error(&[5], 0), Some(SweepError::Steps { steps: 0 }));
    assert!(matches!(
        error(&[5, 51], 10),
        Some(SweepError::Config(RecurrenceConfigError::Length {
            length: 51
        }))
    ));
}

/// Prints learning curves and step times (run with `--ignored --nocapture`).
#[test]
#[ignore]
fn measure() {
    let env = |k: &str| std::env::var(k).ok().and_then(|v| v.parse::<f64>().ok());
    let d = RecurrenceConfig::default();
    let steps = env("STEPS").unwrap_or(1000.0) as usize;
    let chunk = env("CHUNK").unwrap_or(50.0) as usize;
    let config = RecurrenceConfig {
        length: env("T").map_or(d.length, |v| v as usize),
        hidden: env("H").map_or(d.hidden, |v| v as usize),
        learning_rate: env("LR").unwrap_or(d.learning_rate),
        batch_size: env("B").map_or(d.batch_size, |v| v as usize),
        noise: env("NOISE").map_or(d.noise, |v| v as f32),
        keep_bias: env("KB").map_or(d.keep_bias, |v| v as f32),
        seed: env("SEED").map_or(d.seed, |v| v as u64),
        task: std::env::var("TASK")
            .ok()
            .and_then(|v| TaskKind::from_key(&v))
            .unwrap_or(d.task),
        ..d
    };
    let mut session = RecurrenceSession::new(config.validate().unwrap(), Device::flex());
    let (mut trained, mut trained_cpu) = (0.0, 0.0);
    for _ in 0..steps / chunk {
        let (start, cpu) = (Instant::now(), cpu_seconds());
        session.train_steps(chunk);
        trained += start.elapsed().as_secs_f64();
        trained_cpu += cpu_seconds() - cpu;
        let start = Instant::now();
        let o = observe(&mut session, &RecurrenceRequest::default());
        let observe_ms = start.elapsed().as_secs_f64() * 1000.0;
        let line: Vec<String> = o
            .models
            .iter()
            .map(|m| {
                let x = m.metrics.unwrap();
                let g = &m.gradient;
                format!(
                    "{} {:.2}/{:.2} {:.2}/{:.2} g1/gT {:.0e}",
                    m.cell.key(),
                    x.train_loss,
                    x.test_loss,
                    x.train_accuracy,
                    x.test_accuracy,
                    g[0] / g[g.len() - 1]
                )
            })
            .collect();
        println!(
            "step {:5} ep {:3} {:.1} ms/step ({:.1} cpu) obs {:.0} ms | {}",
            session.steps(),
            session.epoch(),
            trained * 1000.0 / session.steps() as f64,
            trained_cpu * 1000.0 / session.steps() as f64,
            observe_ms,
            line.join(" | ")
        );
    }
}

#[test]
#[ignore]
fn measure_observe() {
    for test_size in [64, 256, 1024] {
        let mut session = session(|c| c.test_size = test_size);
        session.train_steps(5);
        let gradients = RecurrenceRequest {
            metrics: false,
            gradients: true,
            sequence: None,
        };
        let trace = RecurrenceRequest {
            metrics: false,
            gradients: false,
            sequence: Some(3),
        };
        for (name, request) in [
            ("metrics", metrics_only()),
            ("gradients", gradients),
            ("sequence", trace),
        ] {
            observe(&mut session, &request);
            let (wall, cpu) = (Instant::now(), cpu_seconds());
            for _ in 0..5 {
                observe(&mut session, &request);
            }
            println!(
                "test {test_size}: {name}: {:.1} ms wall, {:.1} ms cpu",
                wall.elapsed().as_secs_f64() * 200.0,
                (cpu_seconds() - cpu) * 200.0
            );
        }
    }
}

/// CPU time of this process (user + system), from /proc: contention on a shared machine
/// inflates wall time, much less CPU time.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // After the command name: state is field 0, utime field 11, stime field 12 (clock ticks).
    (ticks(11) + ticks(12)) / 100.0
}
