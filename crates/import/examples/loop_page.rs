//! Imports one page many times (profiling aid). `loop_page FILE PARTY YEAR N`.
#![allow(missing_docs, clippy::print_stdout, clippy::unwrap_used)]
fn main() {
    let mut args = std::env::args().skip(1);
    let text = std::fs::read_to_string(args.next().unwrap()).unwrap();
    let party = args.next().filter(|p| !p.is_empty());
    let year = args.next().and_then(|y| y.parse().ok());
    let n: usize = args.next().unwrap().parse().unwrap();
    let importer = qpr_import::PageImporter::new();
    let hints = qpr_import::Hints { party, year };
    let mut total = 0;
    for _ in 0..n {
        total += importer.import(&text, &hints).map(|(_, d)| d.year as usize).unwrap_or(0);
    }
    println!("{total}");
}
