//! Prints the document of a published page (development aid; `qpr parse` is the tool).
//! `parse FILE [PARTY [YEAR]]`.
#![allow(missing_docs, clippy::print_stdout, clippy::unwrap_used)]
fn main() {
    let mut args = std::env::args().skip(1);
    let text = std::fs::read_to_string(args.next().unwrap()).unwrap();
    let hints = qpr_import::Hints { party: args.next(), year: args.next().map(|y| y.parse().unwrap()) };
    match qpr_import::PageImporter::new().import(&text, &hints) {
        Ok((kind, doc)) => println!("{kind:?}\n{}", doc.to_json_pretty()),
        Err(e) => println!("error {}: {e}", e.code()),
    }
}
