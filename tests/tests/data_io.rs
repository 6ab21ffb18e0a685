//! Browser tests of the learner's own data and of the exports: drawing a 3-class data set
//! and training it, the data set as CSV out and back in, a CSV with bad rows reported line by
//! line, and the trained model out as a burn record and back in with the same losses.
//! Ignored by a plain `cargo test`: run `cargo xtask test` or `cargo xtask e2e`.

use std::time::Duration;

use emberlab_e2e::{
    Backend, Browser, POLL, Playground, Probe, Result, check, on_playground, temp_file, wait_until,
};
use serde_json::json;

/// Time for the page to react to a click.
const REACT: Duration = Duration::from_secs(20);
/// Time for a download to land.
const DOWNLOAD: Duration = Duration::from_secs(15);

/// Clicks (pointer down and up) on the output map at plane points `(x, y)`, as a mouse would.
const CLICK_POINTS: &str = r#"
const [points] = arguments;
const c = document.querySelector('[data-testid=output-points]');
const r = c.getBoundingClientRect();
const at = (x, y, type) => c.dispatchEvent(new PointerEvent(type, {
  bubbles: true, pointerId: 1, isPrimary: true, buttons: type === 'pointerup' ? 0 : 1,
  clientX: r.left + (x + 6) / 12 * r.width, clientY: r.top + (6 - y) / 12 * r.height,
}));
for (const [x, y] of points) { at(x, y, 'pointerdown'); at(x, y, 'pointerup'); }
"#;

/// A 4 × 3 patch of points around `(cx, cy)`.
fn cluster(cx: f64, cy: f64) -> Vec<[f64; 2]> {
    let mut out = Vec::new();
    for i in 0..4 {
        for j in 0..3 {
            out.push([
                cx + f64::from(i) * 0.5 - 0.75,
                cy + f64::from(j) * 0.5 - 0.5,
            ]);
        }
    }
    out
}

/// The test accuracy the metrics show, in percent.
async fn test_accuracy(b: &Browser) -> Result<Option<f64>> {
    let text = b.text_of("accuracy").await.unwrap_or_default();
    // "accuracy 97.0% train · 95.0% test"
    Ok(text
        .split('·')
        .nth(1)
        .and_then(|t| t.trim().split('%').next())
        .and_then(|v| v.trim().parse().ok()))
}

/// Sorted `x1,x2,label` rows of an exported CSV (its `set` column dropped).
fn rows(csv: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(csv);
    let mut rows: Vec<String> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').take(3).collect::<Vec<_>>().join(","))
        .collect();
    rows.sort();
    rows
}

/// A file in the test's own temporary folder.
#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask test"]
async fn a_drawn_3_class_data_set_trains_and_its_csv_comes_back_the_same() -> Result<()> {
    on_playground(
        "draw_and_csv",
        Backend::Cpu,
        async |page: &Playground<'_>| {
            let b = page.browser();
            b.click("data-editor").await?;
            b.click("draw-clear").await?;
            for (class, (cx, cy)) in [(-3.0, -3.0), (3.0, 3.0), (-3.0, 3.0)]
                .into_iter()
                .enumerate()
            {
                b.click(&format!("draw-class-{class}")).await?;
                b.execute(CLICK_POINTS, vec![json!(cluster(cx, cy))])
                    .await?;
            }
            let shown = b.text_of("data-editor").await?;
            check(shown.contains("Stop"), || {
                format!("the editor button says {shown:?}")
            })?;
            check(b.count_testids("draw-class-").await? == 4, || {
                "3 classes drawn, a 4th offered".into()
            })?;
            b.screenshot("data-editor-3-classes").await?;
            page.play().await?;
            let accuracy = wait_until(
                "90 % test accuracy",
                Duration::from_secs(60),
                POLL,
                async || {
                    Ok(match test_accuracy(b).await? {
                        Some(a) if a >= 90.0 => Probe::Ready(a),
                        other => Probe::NotYet(format!("test accuracy {other:?}")),
                    })
                },
            )
            .await?;
            page.pause().await?;
            // Out as CSV, back in through the import, out again: the same points.
            b.downloads().await?;
            b.click("export-csv").await?;
            let first = b.downloaded("emberlab-data.csv", DOWNLOAD).await?;
            check(rows(&first).len() == 36, || {
                format!("36 points exported, got {}", rows(&first).len())
            })?;
            b.click("data-editor").await?; // stop drawing
            b.click("dataset-xor").await?;
            let path = temp_file("drawn.csv", &first)?;
            b.pick_file("csv-import", &path).await?;
            let preview = wait_until("the import preview", REACT, POLL, async || {
                let text = b.text_of("csv-preview").await.unwrap_or_default();
                Ok(if text.contains("36 points") {
                    Probe::Ready(text)
                } else {
                    Probe::NotYet(text)
                })
            })
            .await?;
            b.screenshot("data-csv-preview").await?;
            b.click("csv-use").await?;
            tokio::time::sleep(Duration::from_secs(1)).await;
            b.click("export-csv").await?;
            let second = b.downloaded("emberlab-data.csv", DOWNLOAD).await?;
            check(rows(&first) == rows(&second), || {
                format!(
                    "the imported points differ:\n{:?}\n{:?}",
                    rows(&first),
                    rows(&second)
                )
            })?;
            eprintln!("[e2e draw] 3 classes, test accuracy {accuracy}%; preview: {preview}");
            Ok(())
        },
    )
    .await
}

#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask test"]
async fn a_csv_with_bad_rows_lists_each_by_line() -> Result<()> {
    on_playground("csv_bad_rows", Backend::Cpu, async |page: &Playground<'_>| {
        let b = page.browser();
        let mut csv = String::from("x1,x2,label\n");
        for i in 0..12 {
            let v = f64::from(i) * 0.4 - 2.0;
            csv.push_str(&format!("{v},{},{}\n", -v, if i % 2 == 0 { "red" } else { "blue" }));
        }
        csv.push_str("oops,1,red\n"); // line 14
        csv.push_str("1,2\n"); // line 15
        csv.push_str("1,NaN,blue\n"); // line 16
        let path = temp_file("bad-rows.csv", csv.as_bytes())?;
        b.pick_file("csv-import", &path).await?;
        let items = wait_until("the rejected rows", REACT, POLL, async || {
            let items = b
                .execute(
                    "return [...document.querySelectorAll('[data-testid=csv-report] li')].map(li => li.textContent);",
                    vec![],
                )
                .await?;
            let items: Vec<String> = serde_json::from_value(items).unwrap_or_default();
            Ok(if items.len() >= 3 {
                Probe::Ready(items)
            } else {
                Probe::NotYet(format!("{items:?}"))
            })
        })
        .await?;
        check(items.len() == 3, || format!("three rows rejected, listed: {items:?}"))?;
        for (item, line) in items.iter().zip([14, 15, 16]) {
            check(item.contains(&format!("line {line}")), || format!("{item:?} names line {line}"))?;
        }
        let preview = b.text_of("csv-preview").await?;
        check(preview.contains("12 points") && preview.contains("\"red\""), || {
            format!("the preview says {preview:?}")
        })?;
        b.screenshot("data-csv-bad-rows").await?;
        // 12 points, half for training: the default batch of 10 shrinks to fit.
        b.click("csv-use").await?;
        wait_until("the imported points to replace the circle", REACT, POLL, async || {
            let selected = b.attribute_of("dataset-circle", "aria-pressed").await?;
            Ok(if selected.as_deref() == Some("false") {
                Probe::Ready(())
            } else {
                Probe::NotYet(format!("circle aria-pressed {selected:?}"))
            })
        })
        .await?;
        Ok(())
    })
    .await
}

#[tokio::test]
#[ignore = "needs a built app and Chromium: run cargo xtask test"]
async fn a_model_exported_and_loaded_back_gives_the_same_losses() -> Result<()> {
    on_playground(
        "model_round_trip",
        Backend::Cpu,
        async |page: &Playground<'_>| {
            let b = page.browser();
            for _ in 0..5 {
                page.step().await?;
            }
            page.settled_epoch(REACT).await?;
            let (train, test) = page.exact_losses().await?.unwrap_or((f64::NAN, f64::NAN));
            b.downloads().await?;
            b.click("export-model").await?;
            let record = b.downloaded("emberlab-model.bpk", DOWNLOAD).await?;
            for (testid, name) in [
                ("export-rust", "main.rs"),
                ("export-pytorch", "emberlab_model.py"),
                ("export-safetensors", "emberlab-model.safetensors"),
                ("export-history", "emberlab-history.csv"),
            ] {
                b.click(testid).await?;
                let bytes = b.downloaded(name, DOWNLOAD).await?;
                check(!bytes.is_empty(), || format!("{name} is empty"))?;
            }
            page.reset().await?;
            let fresh = wait_until("fresh weights", REACT, POLL, async || {
                Ok(match page.exact_losses().await? {
                    Some((t, _)) if (t - train).abs() > 1e-4 => Probe::Ready(t),
                    other => Probe::NotYet(format!("{other:?}")),
                })
            })
            .await?;
            let path = temp_file("emberlab-model.bpk", &record)?;
            b.pick_file("import-model", &path).await?;
            let loaded = wait_until("the loaded model's losses", REACT, POLL, async || {
                Ok(match page.exact_losses().await? {
                    Some((t, v)) if (t - train).abs() < 1e-6 && (v - test).abs() < 1e-6 => {
                        Probe::Ready(t)
                    }
                    other => Probe::NotYet(format!("{other:?}, want ({train}, {test})")),
                })
            })
            .await?;
            eprintln!(
                "[e2e model] exported at train loss {train}, reset to {fresh}, loaded back {loaded}"
            );
            Ok(())
        },
    )
    .await
}
