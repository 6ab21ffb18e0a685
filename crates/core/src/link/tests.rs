//! Link codec tests: round trips (property-based), golden v1 strings, real TensorFlow
//! Playground hashes, and a fuzz run over garbled, truncated, oversized and hostile input.

use proptest::prelude::*;

use super::*;
use crate::custom_data::{CustomData, from_steps};
use crate::data::{DatasetKind, Point};
use crate::experiment::ExperimentConfig;
use crate::features::{Feature, FeatureSet};
use crate::limits::*;
use crate::model::{LayerWeights, initial_weights, misfit};
use crate::network::{Activation, Init, LayerSpec};
use crate::playground_state::{Checkpoint, Control, Hidden, HistoryPoint, PlaygroundState, Speed};
use crate::problem::Problem;
use crate::training::{BatchSize, LossKind, OptimizerKind, Regularization};

fn playground(decoded: &Decoded) -> &PlaygroundState {
    match &decoded.state {
        LabState::Playground(s) => s,
        other => panic!("expected the playground, got {other:?}"),
    }
}

fn round_trip(state: &PlaygroundState) -> Decoded {
    decode(&encode(&LabState::Playground(state.clone())))
}

/// The state's config validates and its checkpoint (if any) fits: what the page relies on.
fn assert_usable(decoded: &Decoded) {
    match &decoded.state {
        LabState::Digits(c) => {
            assert!(c.validate().is_ok());
            return;
        }
        LabState::Attention(c) => {
            assert!(c.validate().is_ok());
            return;
        }
        LabState::Recurrence(c) => {
            assert!(c.validate().is_ok());
            return;
        }
        LabState::Playground(_) => {}
    }
    let state = playground(decoded);
    let experiment = state
        .config
        .validate()
        .unwrap_or_else(|e| panic!("decoded config must validate: {e}"));
    if let Some(c) = &state.checkpoint {
        assert_eq!(misfit(&experiment, &c.layers), None);
    }
}

#[test]
fn the_default_link_is_short_readable_and_round_trips() {
    let link = encode(&LabState::default());
    assert_eq!(
        link,
        "v1/playground/seed=1&data=circle&n=500&noise=0&ratio=50&classes=3&f=x1,x2\
         &net=4:tanh,2:tanh&init=xavier&loss=bce&opt=sgd&lr=0.03&batch=10&reg=none&rr=0\
         &speed=1&test=0&disc=0&log=0&hide=&hidef="
    );
    let decoded = decode(&format!("#{link}"));
    assert_eq!(decoded.errors, vec![]);
    assert_eq!(decoded.state, LabState::default());
}

#[test]
fn golden_v1_links_keep_decoding() {
    // Links as released: these strings must decode to these states forever.
    let spiral = decode(
        "v1/playground/seed=42&data=spiral&n=800&noise=10&ratio=70&classes=3\
         &f=x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2&net=8:relu,8:tanh:0.1,6:leaky&init=he&loss=bce\
         &opt=adam&lr=0.003&batch=full&reg=l2&rr=0.001&speed=5&test=1&disc=1&log=1\
         &hide=noise,play&hidef=sinx2",
    );
    assert_eq!(spiral.errors, vec![]);
    let s = playground(&spiral);
    let c = &s.config;
    assert_eq!(c.seed, 42);
    assert_eq!(c.data.kind, DatasetKind::Spiral);
    assert_eq!(
        (c.data.size, c.data.noise_percent, c.data.train_percent),
        (800, 10, 70)
    );
    assert_eq!(c.features.len(), 7);
    assert!(!c.features.contains(Feature::CosX1));
    assert_eq!(
        c.network.hidden,
        vec![
            LayerSpec::new(8, Activation::Relu),
            LayerSpec {
                neurons: 8,
                activation: Activation::Tanh,
                dropout: 0.1
            },
            LayerSpec::new(6, Activation::LeakyRelu),
        ]
    );
    assert_eq!(c.network.init, Init::He);
    assert_eq!(c.training.optimizer, OptimizerKind::Adam);
    assert_eq!(c.training.learning_rate, 0.003);
    assert_eq!(c.training.batch_size, BatchSize::Full);
    assert_eq!(c.training.regularization, Regularization::L2);
    assert_eq!(c.training.regularization_rate, 0.001);
    assert_eq!(s.view.speed, Speed::EpochsPerFrame(5));
    assert!(s.view.show_test && s.view.discretize && s.view.log_scale);
    assert_eq!(s.hidden.controls, vec![Control::Play, Control::Noise]);
    assert!(s.hidden.features.contains(Feature::SinX2));

    let blobs = decode("v1/playground/data=blobs&classes=5&loss=cce&net=");
    assert_eq!(blobs.errors, vec![]);
    let b = playground(&blobs);
    assert_eq!(b.config.data.kind, DatasetKind::Blobs);
    assert_eq!(b.config.data.classes, 5);
    assert!(b.config.network.hidden.is_empty());

    let regression = decode("v1/playground/data=multi-gaussian&loss=huber&opt=rmsprop");
    assert_eq!(regression.errors, vec![]);
    assert_eq!(
        playground(&regression).config.training.loss,
        LossKind::Huber
    );
}

#[test]
fn each_bad_field_is_reported_and_takes_its_default() {
    let decoded = decode(
        "v1/playground/data=moons&n=7&lr=-1&net=4:tanh,99:relu&f=&speed=warp&color=red&seed=x",
    );
    let s = playground(&decoded);
    let defaults = PlaygroundState::default();
    assert_eq!(
        s.config.data.kind,
        DatasetKind::Moons,
        "good fields are kept"
    );
    assert_eq!(s.config.data.size, defaults.config.data.size);
    assert_eq!(
        s.config.training.learning_rate,
        defaults.config.training.learning_rate
    );
    assert_eq!(s.config.network, defaults.config.network);
    assert_eq!(s.config.features, defaults.config.features);
    assert_eq!(s.view.speed, defaults.view.speed);
    assert_eq!(s.config.seed, defaults.config.seed);
    let keys: Vec<String> = decoded
        .errors
        .iter()
        .map(|e| match e {
            LinkError::Field { key, .. } | LinkError::UnknownField { key } => key.clone(),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(keys, ["n", "lr", "net", "f", "speed", "color", "seed"]);
    let text = decoded.errors[2].to_string();
    assert!(text.contains("layer 2 needs 1 to 16 neurons"), "{text}");
}

#[test]
fn conflicting_fields_are_reset_with_a_reason() {
    // A batch larger than the training set, and a loss that does not fit regression.
    let decoded = decode("v1/playground/n=50&ratio=10&batch=40&data=plane&loss=bce");
    let s = playground(&decoded);
    assert!(s.config.validate().is_ok());
    assert_eq!(s.config.training.loss, LossKind::Mse);
    assert_eq!(s.config.training.batch_size, BatchSize::Full);
    assert_eq!(decoded.errors.len(), 2, "{:?}", decoded.errors);
    assert!(
        decoded
            .errors
            .iter()
            .all(|e| matches!(e, LinkError::Conflict(_)))
    );
}

#[test]
fn whole_link_problems_fall_back_to_the_default_experiment() {
    for (hash, expected) in [
        ("v9/playground/seed=1", "version \"v9\""),
        ("v1/sudoku/seed=1", "lab \"sudoku\""),
        ("hello world", "does not hold"),
    ] {
        let decoded = decode(hash);
        assert_eq!(decoded.state, LabState::default());
        assert_eq!(decoded.errors.len(), 1);
        let text = decoded.errors[0].to_string();
        assert!(text.contains(expected), "{text}");
    }
    let long = format!("v1/playground/seed={}", "9".repeat(MAX_LINK_CHARS));
    assert!(matches!(
        decode(&long).errors[..],
        [LinkError::TooLong { .. }]
    ));
    assert_eq!(decode("").errors, vec![]);
    assert_eq!(decode("#").state, LabState::default());
}

pub(super) fn trained_state(config: ExperimentConfig) -> PlaygroundState {
    let experiment = config.validate().unwrap();
    let layers = initial_weights(&experiment);
    let history = (0..40)
        .map(|e| HistoryPoint {
            epoch: e * 10,
            train_loss: 0.7 / (e + 1) as f32,
            test_loss: 0.71 / (e + 1) as f32,
            train_accuracy: Some(0.5 + e as f32 / 100.0),
            test_accuracy: Some(0.5),
        })
        .collect();
    PlaygroundState {
        config,
        checkpoint: Some(Checkpoint {
            epoch: 390,
            layers,
            history,
        }),
        ..PlaygroundState::default()
    }
}

/// The default experiment on `count` points of the user's own (three classes on a spiral-ish
/// curve), trained weights optional.
pub(super) fn custom_state(count: usize, weights: bool) -> PlaygroundState {
    let mut config = ExperimentConfig::default();
    config.data.kind = DatasetKind::Custom;
    config.data.custom = CustomData::new(
        Problem::Multiclass { classes: 3 },
        (0..count).map(|i| {
            let t = i as f32 * 0.37;
            Point {
                x: (t.sin() * (1.0 + (i % 40) as f32 * 0.12)).clamp(-DOMAIN, DOMAIN),
                y: (t.cos() * (1.0 + (i % 37) as f32 * 0.13)).clamp(-DOMAIN, DOMAIN),
                label: (i * 3 / count.max(1)) as f32,
            }
        }),
    );
    config.training.loss = LossKind::CategoricalCrossEntropy;
    if config.data.train_count() < 10 {
        config.training.batch_size = BatchSize::Full;
    }
    if weights {
        trained_state(config)
    } else {
        PlaygroundState {
            config,
            ..PlaygroundState::default()
        }
    }
}

pub(super) fn biggest_config() -> ExperimentConfig {
    let mut config = ExperimentConfig {
        features: FeatureSet::all(),
        ..ExperimentConfig::default()
    };
    config.network.hidden = vec![LayerSpec::new(MAX_NEURONS, Activation::Relu); MAX_HIDDEN_LAYERS];
    config
}

#[test]
fn weights_round_trip_bit_exactly_and_the_sizes_are_known() {
    for config in [ExperimentConfig::default(), biggest_config()] {
        let state = trained_state(config);
        let decoded = round_trip(&state);
        assert_eq!(decoded.errors, vec![]);
        assert_eq!(playground(&decoded), &state);
    }
    let default_len = encode(&LabState::Playground(trained_state(
        ExperimentConfig::default(),
    )))
    .len();
    let big_len = encode(&LabState::Playground(trained_state(biggest_config()))).len();
    println!("link sizes with weights: default net {default_len} chars, 8×16 net {big_len} chars");
    assert!(
        big_len <= MAX_LINK_CHARS,
        "the biggest network must fit a link: {big_len}"
    );
}

#[test]
fn bad_weights_are_dropped_with_a_reason_and_the_rest_is_kept() {
    let state = trained_state(ExperimentConfig::default());
    let link = encode(&LabState::Playground(state.clone()));
    // Weights of another network shape.
    let other = link.replace("net=4:tanh,2:tanh", "net=3:tanh");
    let decoded = decode(&other);
    assert!(
        matches!(decoded.errors[..], [LinkError::Weights(_)]),
        "{:?}",
        decoded.errors
    );
    assert_eq!(playground(&decoded).checkpoint, None);
    assert_eq!(playground(&decoded).config.network.hidden.len(), 1);
    // Damaged payloads.
    for garbage in ["w=", "w=AAAA", "w=!!!", "w=eJzLSM3JyQcABiwCFQ"] {
        let decoded = decode(&format!("v1/playground/seed=3&{garbage}"));
        assert!(
            matches!(decoded.errors[..], [LinkError::Weights(_)]),
            "{garbage}: {:?}",
            decoded.errors
        );
        assert_eq!(playground(&decoded).config.seed, 3);
    }
    // Non-finite weights never load.
    let mut nan = state;
    if let Some(c) = nan.checkpoint.as_mut() {
        c.layers[0].weights[0] = f32::NAN;
    }
    let decoded = round_trip(&nan);
    assert!(matches!(decoded.errors[..], [LinkError::Weights(_)]));
}

#[test]
fn tensorflow_playground_links_open_the_same_experiment() {
    // TensorFlow Playground's own default hash.
    let default = decode(
        "#activation=tanh&batchSize=10&dataset=circle&regDataset=reg-plane&learningRate=0.03\
         &regularizationRate=0&noise=0&networkShape=4,2&seed=0.47230&showTestData=false\
         &discretize=false&percTrainData=50&x=true&y=true&xTimesY=false&xSquared=false\
         &ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false&collectStats=false\
         &problem=classification&initZero=false&hideText=false",
    );
    assert_eq!(default.errors, vec![]);
    let d = playground(&default);
    assert_eq!(d.config.data.kind, DatasetKind::Circle);
    assert_eq!(d.config.network, ExperimentConfig::default().network);
    assert_eq!(d.config.features, FeatureSet::default());
    assert_eq!(d.config.seed, 47230);
    assert_eq!(d.view.speed, Speed::EpochsPerFrame(1));

    // The spiral with TensorFlow Playground's biggest network and every feature it has.
    let spiral = decode(
        "#activation=relu&batchSize=10&dataset=spiral&regDataset=reg-plane&learningRate=0.03\
         &regularizationRate=0&noise=0&networkShape=8,8,8,8,8,8&seed=0.95012&showTestData=false\
         &discretize=false&percTrainData=50&x=true&y=true&xTimesY=true&xSquared=true\
         &ySquared=true&cosX=false&sinX=true&cosY=false&sinY=true&collectStats=false\
         &problem=classification&initZero=false&hideText=false",
    );
    assert_eq!(spiral.errors, vec![]);
    let s = playground(&spiral);
    assert_eq!(s.config.data.kind, DatasetKind::Spiral);
    assert_eq!(
        s.config.network.hidden,
        vec![LayerSpec::new(8, Activation::Relu); 6]
    );
    assert_eq!(s.config.features.len(), 7);
    assert!(s.config.validate().is_ok());

    // Regression, hidden controls, cos features and out-of-range values.
    let odd = decode(
        "#problem=regression&regDataset=reg-gauss&learningRate=30&networkShape=20,3,0\
         &noise=80&batchSize=abc&cosX=true&x=false&y=false&dataset_hide=true&noise_hide=true\
         &playButton_hide=true&x_hide=true&initZero=true&regularization=L3&tutorial=dataset\
         &madeUpKey=1",
    );
    let o = playground(&odd);
    assert_eq!(o.config.data.kind, DatasetKind::MultiGaussian);
    assert_eq!(o.config.data.size, 1200);
    assert_eq!(o.config.training.learning_rate, MAX_LEARNING_RATE);
    assert_eq!(o.config.data.noise_percent, MAX_NOISE_PERCENT);
    assert_eq!(
        o.config
            .network
            .hidden
            .iter()
            .map(|l| l.neurons)
            .collect::<Vec<_>>(),
        vec![16, 3, 1]
    );
    assert_eq!(
        o.config.features,
        FeatureSet::from_features(&[Feature::CosX1])
    );
    assert_eq!(o.config.network.init, Init::NearZero);
    assert!(o.hidden.hides(Control::Dataset) && o.hidden.hides(Control::Noise));
    assert!(o.hidden.hides(Control::Play));
    assert!(o.hidden.features.contains(Feature::X1));
    let noted: Vec<String> = odd
        .errors
        .iter()
        .map(|e| match e {
            LinkError::Translated { key, .. } => key.clone(),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    for key in [
        "learningRate",
        "networkShape",
        "noise",
        "batchSize",
        "initZero",
        "regularization",
    ] {
        assert!(
            noted.iter().any(|k| k == key),
            "{key} should be noted: {noted:?}"
        );
    }
    assert!(!noted.iter().any(|k| k == "madeUpKey" || k == "tutorial"));
    assert!(o.config.validate().is_ok());
}

// --- property tests -------------------------------------------------------------------------

fn any_layer() -> impl Strategy<Value = LayerSpec> {
    (
        MIN_NEURONS..=MAX_NEURONS,
        proptest::sample::select(Activation::ALL.to_vec()),
        prop_oneof![
            Just(0.0f32),
            Just(0.1),
            Just(0.25),
            Just(0.5),
            Just(MAX_DROPOUT)
        ],
    )
        .prop_map(|(neurons, activation, dropout)| LayerSpec {
            neurons,
            activation,
            dropout,
        })
}

/// The user's own points as the UI makes them: on the plane, snapped to 1/1000, labels that fit
/// the problem, at least two classes; enough points for batches of up to 5 at any split.
pub(super) fn any_custom_data() -> impl Strategy<Value = CustomData> {
    let problem = prop_oneof![
        Just(Problem::Binary),
        (MIN_CLASSES..=MAX_CLASSES).prop_map(|classes| Problem::Multiclass { classes }),
        Just(Problem::Regression),
    ];
    let steps = -6000i32..=6000;
    let point = (steps.clone(), steps, -1000i32..=1000, 0usize..MAX_CLASSES);
    let count = prop_oneof![4 => 50usize..=300, 1 => Just(MAX_CUSTOM_POINTS)];
    (problem, count).prop_flat_map(move |(problem, count)| {
        proptest::collection::vec(point.clone(), count).prop_map(move |raw| {
            let classes = CustomData::new(problem, []).classes().max(1);
            let points = raw
                .into_iter()
                .enumerate()
                .map(|(i, (x, y, value, class))| {
                    let label = match problem {
                        Problem::Regression => from_steps(value),
                        // The first two points make sure two classes are present.
                        _ if i < 2 => i as f32,
                        _ => (class % classes) as f32,
                    };
                    Point {
                        x: from_steps(x),
                        y: from_steps(y),
                        label,
                    }
                });
            CustomData::new(problem, points)
        })
    })
}

fn any_state() -> impl Strategy<Value = PlaygroundState> {
    let data = (
        proptest::sample::select(DatasetKind::ALL.to_vec()),
        MIN_DATA_SIZE..=MAX_DATA_SIZE,
        0..=MAX_NOISE_PERCENT,
        MIN_TRAIN_PERCENT..=MAX_TRAIN_PERCENT,
        MIN_CLASSES..=MAX_CLASSES,
    );
    let network = (
        proptest::collection::vec(any_layer(), 0..=MAX_HIDDEN_LAYERS),
        proptest::sample::select(Init::ALL.to_vec()),
        1u16..(1 << Feature::ALL.len()),
    );
    let training = (
        proptest::sample::select(OptimizerKind::ALL.to_vec()),
        prop_oneof![
            proptest::sample::select(LEARNING_RATE_PRESETS.to_vec()),
            (1e-6f64..MAX_LEARNING_RATE)
        ],
        prop_oneof![
            Just(BatchSize::Full),
            (1usize..=5).prop_map(BatchSize::Points)
        ],
        proptest::sample::select(Regularization::ALL.to_vec()),
        (0.0f64..=MAX_REGULARIZATION_RATE),
    );
    let view = (
        proptest::sample::select(Speed::ALL.to_vec()),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        proptest::sample::subsequence(Control::ALL.to_vec(), 0..=4),
        any::<u16>(),
        any::<u64>(),
    );
    let custom = any_custom_data();
    (data, network, training, view, custom).prop_map(|(data, network, training, view, custom)| {
        let mut c = ExperimentConfig::default();
        (
            c.data.kind,
            c.data.size,
            c.data.noise_percent,
            c.data.train_percent,
            c.data.classes,
        ) = data;
        // Links carry the user's own points only when they are the data set.
        if c.data.kind == DatasetKind::Custom {
            c.data.custom = custom;
        }
        (c.network.hidden, c.network.init) = (network.0, network.1);
        c.features = FeatureSet::from_bits(network.2);
        let (opt, lr, batch, reg, rr) = training;
        c.training.optimizer = opt;
        c.training.learning_rate = lr;
        c.training.batch_size = batch;
        c.training.regularization = reg;
        c.training.regularization_rate = rr;
        c.training.loss = LossKind::default_for(c.problem());
        c.seed = view.6;
        let mut hidden = Hidden::none();
        view.4.into_iter().for_each(|ctl| hidden.hide(ctl));
        hidden.features = FeatureSet::from_bits(view.5);
        PlaygroundState {
            config: c,
            view: crate::playground_state::ViewSettings {
                speed: view.0,
                show_test: view.1,
                discretize: view.2,
                log_scale: view.3,
            },
            hidden,
            checkpoint: None,
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_field_round_trips(state in any_state()) {
        let decoded = round_trip(&state);
        prop_assert_eq!(&decoded.errors, &vec![]);
        prop_assert_eq!(playground(&decoded), &state);
    }
}

/// Inputs a hostile or unlucky user can produce from a real link.
fn garbled() -> impl Strategy<Value = String> {
    let link = encode(&LabState::Playground(trained_state(biggest_config())));
    let tfp =
        "activation=relu&batchSize=10&dataset=spiral&networkShape=8,8&x=true&seed=0.1".to_string();
    let bases = vec![
        link,
        tfp,
        encode(&LabState::default()),
        encode(&LabState::Playground(custom_state(500, true))),
    ];
    prop_oneof![
        // Random text, with the link's own alphabet over-represented.
        "[ -~]{0,300}",
        "(v1/playground/)?([a-z]{1,6}=[-0-9a-z.:,%_]{0,12}&){0,30}",
        // A real link truncated, or with bytes replaced.
        (
            proptest::sample::select(bases.clone()),
            any::<prop::sample::Index>()
        )
            .prop_map(|(b, i)| b[..i.index(b.len() + 1)].to_string()),
        (
            proptest::sample::select(bases.clone()),
            proptest::collection::vec((any::<prop::sample::Index>(), any::<char>()), 1..8)
        )
            .prop_map(|(b, edits)| {
                let mut chars: Vec<char> = b.chars().collect();
                for (i, c) in edits {
                    let at = i.index(chars.len());
                    chars[at] = c;
                }
                chars.into_iter().collect()
            }),
        // Hostile numbers and repetitions.
        "v1/playground/(n|lr|batch|classes|noise|ratio|rr|seed)=(-?[0-9]{1,40}(\\.[0-9]{0,20})?|NaN|inf|-0|1e308|%00)",
        (1usize..50_000)
            .prop_map(|n| format!("v1/playground/{}", "net=16:relu,".repeat(n / 12 + 1))),
        (0usize..4000).prop_map(|n| format!("v1/playground/w={}", "A".repeat(n))),
        // The user's own points: garbage, repetition, and real payloads of other points.
        "v1/playground/data=(custom|circle)&pts=[-_A-Za-z0-9]{0,400}(&loss=cce)?",
        (0usize..4000).prop_map(|n| format!("v1/playground/data=custom&pts={}", "A".repeat(n))),
        any_custom_data().prop_map(|data| {
            let mut state = PlaygroundState::default();
            state.config.data.kind = DatasetKind::Custom;
            state.config.data.custom = data;
            encode(&LabState::Playground(state))
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    /// The fuzz run: 10 000 garbled inputs never panic and always give a usable state.
    #[test]
    fn garbled_links_never_panic_and_always_give_a_usable_state(hash in garbled()) {
        let decoded = decode(&hash);
        assert_usable(&decoded);
    }
}

#[test]
fn layer_weights_of_another_size_never_load() {
    let mut state = trained_state(ExperimentConfig::default());
    if let Some(c) = state.checkpoint.as_mut() {
        c.layers[1] = LayerWeights {
            inputs: 4,
            outputs: 3,
            weights: vec![0.0; 12],
            biases: vec![0.0; 3],
        };
    }
    let decoded = round_trip(&state);
    assert!(matches!(decoded.errors[..], [LinkError::Weights(_)]));
}

#[test]
fn the_burn_labs_round_trip_and_report_bad_fields_one_by_one() {
    use crate::attention::{AttentionConfig, Task};
    use crate::digits::DigitsConfig;
    let mut digits = DigitsConfig::default();
    digits.cnn.filters = vec![8, 16, 32];
    digits.training.learning_rate = 0.003;
    let state = LabState::Digits(digits);
    let link = encode(&state);
    assert!(
        link.starts_with("v1/digits/seed=1&test=20&conv=8,16,32&kernel=3x3"),
        "{link}"
    );
    let decoded = decode(&link);
    assert_eq!(decoded.errors, vec![]);
    assert_eq!(decoded.state, state);

    let attention = AttentionConfig {
        task: Task::Reverse,
        heads: 4,
        ..AttentionConfig::default()
    };
    let state = LabState::Attention(attention);
    let decoded = decode(&encode(&state));
    assert_eq!(decoded.errors, vec![]);
    assert_eq!(decoded.state, state);

    // A bad value, a value the lab refuses, an unknown key: each reported, the rest kept.
    let decoded = decode("v1/digits/conv=8,x&kernel=9x9&test=90&lr=0.05&color=red");
    let LabState::Digits(c) = &decoded.state else {
        panic!("digits expected");
    };
    assert_eq!(c.training.learning_rate, 0.05);
    assert_eq!(c.cnn.filters, DigitsConfig::default().cnn.filters);
    assert_eq!(decoded.errors.len(), 4, "{:?}", decoded.errors);
    let text = decoded.errors[2].to_string();
    assert!(text.contains("test share 90%"), "{text}");
    let recurrence = LabState::Recurrence(crate::recurrence::RecurrenceConfig {
        length: 35,
        clip_norm: None,
        ..Default::default()
    });
    let decoded = decode(&encode(&recurrence));
    assert_eq!(decoded.errors, vec![]);
    assert_eq!(decoded.state, recurrence);
    // Heads that do not divide the width are refused with the lab's own message.
    let decoded = decode("v1/attention/width=30&heads=4");
    assert!(!decoded.errors.is_empty());
    assert_usable(&decoded);
}
