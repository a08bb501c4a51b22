//! Static assets, compiled into the binary: the stylesheet, served under a name with its
//! content hash (cached for a year, `immutable`) and under its plain name (cached for an hour).

use std::sync::{Arc, LazyLock};

use crate::http::{Kind, Representation, content_hash};

const STYLESHEET: &str = include_str!("../assets/style.css");

/// The plain address of the stylesheet.
pub(crate) const STYLESHEET_PLAIN_PATH: &str = "/assets/style.css";

static STYLESHEET_PATH: LazyLock<String> =
    LazyLock::new(|| format!("/assets/style-{:016x}.css", content_hash(STYLESHEET.as_bytes())));

/// The address of the stylesheet with its content hash.
pub(crate) fn stylesheet_path() -> &'static str {
    &STYLESHEET_PATH
}

/// The stylesheet, for its hashed address.
pub(crate) fn stylesheet() -> Arc<Representation> {
    static HASHED: LazyLock<Arc<Representation>> = LazyLock::new(|| {
        Arc::new(Representation::new(Kind::ImmutableAsset("text/css; charset=utf-8"), STYLESHEET, None))
    });
    Arc::clone(&HASHED)
}

/// The stylesheet, for its plain address.
pub(crate) fn stylesheet_plain() -> Arc<Representation> {
    static PLAIN: LazyLock<Arc<Representation>> =
        LazyLock::new(|| Arc::new(Representation::new(Kind::Asset("text/css; charset=utf-8"), STYLESHEET, None)));
    Arc::clone(&PLAIN)
}

const EDITOR_SCRIPT: &str = include_str!("../assets/editor.js");

static EDITOR_SCRIPT_PATH: LazyLock<String> =
    LazyLock::new(|| format!("/assets/editor-{:016x}.js", content_hash(EDITOR_SCRIPT.as_bytes())));

/// The address of the editing pages' script, with its content hash.
pub(crate) fn editor_script_path() -> &'static str {
    &EDITOR_SCRIPT_PATH
}

/// The editing pages' script (autosave), for its hashed address.
pub(crate) fn editor_script() -> Arc<Representation> {
    static HASHED: LazyLock<Arc<Representation>> = LazyLock::new(|| {
        Arc::new(Representation::new(Kind::ImmutableAsset("text/javascript; charset=utf-8"), EDITOR_SCRIPT, None))
    });
    Arc::clone(&HASHED)
}
