//! Files in and out of the page: downloads made from bytes, text or a canvas, and the contents
//! of a file the user picked in an `<input type=file>`.

use std::time::Duration;

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, HtmlCanvasElement, HtmlInputElement, Url};

/// How long a download's object URL is kept before it is released.
const URL_LIFETIME: Duration = Duration::from_secs(30);

/// Why a file could not be saved or read, in words.
fn why(error: JsValue) -> String {
    error
        .as_string()
        .or_else(|| {
            error
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| "the browser refused".to_string())
}

/// Starts a download of `url` as `name`.
fn click_download(url: &str, name: &str) -> Result<(), String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("the page has no document")?;
    let anchor: HtmlAnchorElement = document
        .create_element("a")
        .map_err(why)?
        .dyn_into()
        .map_err(|_| "no link element".to_string())?;
    anchor.set_href(url);
    anchor.set_download(name);
    anchor.click();
    Ok(())
}

/// Downloads `bytes` as a file called `name` of type `mime`.
pub fn save_bytes(name: &str, bytes: &[u8], mime: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(why)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(why)?;
    let result = click_download(&url, name);
    leptos::prelude::set_timeout(
        move || {
            let _ = Url::revoke_object_url(&url);
        },
        URL_LIFETIME,
    );
    result
}

/// Downloads `text` as a UTF-8 file called `name` of type `mime`.
pub fn save_text(name: &str, text: &str, mime: &str) -> Result<(), String> {
    save_bytes(name, text.as_bytes(), mime)
}

/// Downloads the pixels of `canvas` as a PNG file called `name`.
pub fn save_png(name: &str, canvas: &HtmlCanvasElement) -> Result<(), String> {
    let url = canvas.to_data_url_with_type("image/png").map_err(why)?;
    click_download(&url, name)
}

/// The file picked in `input`, if any.
fn picked(input: &HtmlInputElement) -> Option<web_sys::File> {
    input.files()?.get(0)
}

/// Why `file` is not read: it is larger than `max_bytes`.
fn too_large(file: &web_sys::File, max_bytes: usize) -> Option<String> {
    (file.size() > max_bytes as f64).then(|| {
        format!(
            "\"{}\" is {:.0} KB; files up to {} KB can be read",
            file.name(),
            file.size() / 1024.0,
            max_bytes / 1024
        )
    })
}

/// The name and text of the file picked in `input` (`None` when none is); files over
/// `max_bytes` are refused unread.
pub async fn read_text(
    input: &HtmlInputElement,
    max_bytes: usize,
) -> Option<Result<(String, String), String>> {
    let file = picked(input)?;
    if let Some(error) = too_large(&file, max_bytes) {
        return Some(Err(error));
    }
    let name = file.name();
    let text = JsFuture::from(file.text()).await;
    Some(
        text.map_err(why)
            .and_then(|t| {
                t.as_string()
                    .ok_or_else(|| "the file is not text".to_string())
            })
            .map(|t| (name, t)),
    )
}

/// The name and bytes of the file picked in `input` (`None` when none is); files over
/// `max_bytes` are refused unread.
pub async fn read_bytes(
    input: &HtmlInputElement,
    max_bytes: usize,
) -> Option<Result<(String, Vec<u8>), String>> {
    let file = picked(input)?;
    if let Some(error) = too_large(&file, max_bytes) {
        return Some(Err(error));
    }
    let name = file.name();
    let buffer = JsFuture::from(file.array_buffer()).await;
    Some(
        buffer
            .map(|b| (name, js_sys::Uint8Array::new(&b).to_vec()))
            .map_err(why),
    )
}
