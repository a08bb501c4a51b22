//! Prints the document of a published report file (development aid; `qpr parse` is the tool).
#![allow(missing_docs, clippy::print_stdout, clippy::unwrap_used)]
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let doc = qpr_import::import_published(qpr_domain::Framework::qpr_2020(), &text).unwrap();
    println!("{}", doc.to_json_pretty());
}
