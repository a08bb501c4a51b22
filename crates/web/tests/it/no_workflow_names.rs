//! The architecture invariant "web holds no workflow rules", checked the way the issue states
//! it: the names of report states, of decisions and the ids of the frameworks' questions do
//! not appear as literals in `crates/web/src` (outside test modules and comments) nor in
//! `crates/web/templates`. The names come from the typed enums and the framework files, so a
//! new state, decision or question is checked without touching this test.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use qpr_domain::framework::FrameworkRegistry;
use qpr_workflow::Decision;

/// Every name the web must not spell: states, decisions, question ids.
fn workflow_names() -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for decision in Decision::ALL {
        names.insert(decision.as_str().to_owned());
        names.insert(decision.to_state().as_str().to_owned());
        names.extend(decision.from_states().iter().map(|state| state.as_str().to_owned()));
    }
    let registry = FrameworkRegistry::builtin();
    for id in registry.ids() {
        let framework = registry.get(id).expect("a listed framework");
        names.extend(framework.questions().map(|(_, q)| q.id.clone()));
        names.extend(framework.cso_questions().map(|q| q.id.clone()));
        names.extend(framework.record_types.values().flat_map(|r| r.fields.iter().map(|f| f.id.clone())));
    }
    names
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a readable directory") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The code of a Rust file that runs in the server: up to its test module, without comments.
fn server_code(source: &str) -> String {
    let code = source.split("#[cfg(test)]").next().unwrap_or_default();
    code.lines().filter(|line| !line.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

/// `name` as a literal: in quotes (Rust strings, HTML attributes, template expressions).
fn spelled(text: &str, name: &str) -> bool {
    text.contains(&format!("\"{name}\"")) || text.contains(&format!("'{name}'"))
}

#[test]
fn web_spells_no_state_decision_or_question_id() {
    let names = workflow_names();
    for name in ["draft", "submitted", "changes_requested", "published", "request_changes", "withdraw", "recall"] {
        assert!(names.contains(name), "{name} is among the names checked");
    }
    assert!(names.len() > 200, "the frameworks' question ids are checked: {}", names.len());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for (dir, rust) in [("src", true), ("templates", false)] {
        let mut paths = Vec::new();
        files(&root.join(dir), &mut paths);
        for path in paths {
            if rust != path.extension().is_some_and(|e| e == "rs") {
                continue;
            }
            let source = std::fs::read_to_string(&path).expect("a text file");
            let text = if rust { server_code(&source) } else { source };
            found.extend(
                names.iter().filter(|name| spelled(&text, name)).map(|name| format!("{}: {name}", path.display())),
            );
        }
    }
    assert!(
        found.is_empty(),
        "workflow names in web (they belong in qpr-workflow or the framework):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_sees_a_name_in_code_and_not_in_tests_or_comments() {
    let source = "fn f() { g(\"accept\") }\n// \"publish\"\n#[cfg(test)]\nmod tests { \"recall\" }";
    let code = server_code(source);
    assert!(spelled(&code, "accept"));
    assert!(!spelled(&code, "publish") && !spelled(&code, "recall"));
    assert!(spelled(r#"<input name="decision" value="withdraw">"#, "withdraw"));
}
