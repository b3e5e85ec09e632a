//! The shape rules of `ARCHITECTURE.md`, checked on the source tree so that they hold:
//!
//! - no source file over 1,000 lines and no function over 100 lines;
//! - in the extraction library, no stage imports another stage (shared helpers live in the
//!   text layer), and the top-level modules import each other without a cycle;
//! - one tokenizer: `text::tokens::tokenize` is the only `fn tokenize`;
//! - the extraction library depends on neither `rdkafka` nor `tokio`.
//!
//! The checks read the source as text. A function runs from its `fn` line to the first line
//! that closes it at the same indentation (`rustfmt` guarantees that layout); test code at the
//! end of a file (after its `#[cfg(test)]` module) and `tests.rs` files are not production code
//! and may import what they like.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use newsworker_testkit::workspace_root;

const MAX_FILE_LINES: usize = 1_000;
const MAX_FUNCTION_LINES: usize = 100;

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable source folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The source files of every crate of the workspace (sources, tests, examples).
fn workspace_sources() -> Vec<PathBuf> {
    let crates = workspace_root().join("crates");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&crates).expect("crates/") {
        let krate = entry.expect("entry").path();
        for part in ["src", "tests"] {
            if krate.join(part).is_dir() {
                out.extend(rust_files(&krate.join(part)));
            }
        }
    }
    out
}

fn relative(path: &Path) -> String {
    path.strip_prefix(workspace_root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// (name, first line, length) of every function in `source`.
fn functions(source: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = source.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let Some(at) = trimmed.find("fn ") else {
            continue;
        };
        let head = &trimmed[..at];
        let is_item = head.split_whitespace().all(|w| {
            matches!(w, "pub" | "async" | "const" | "unsafe" | "extern")
                || w.starts_with("pub(")
                || w.starts_with('"')
        });
        if !is_item || trimmed.ends_with(';') {
            continue;
        }
        let name: String = trimmed[at + 3..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let close = format!("{indent}}}");
        if let Some(end) = lines[i + 1..].iter().position(|l| *l == close) {
            out.push((name, i + 1, end + 2));
        }
    }
    out
}

/// `source` without its trailing test module.
fn production_part(source: &str) -> &str {
    source
        .find("#[cfg(test)]\nmod tests")
        .or_else(|| source.find("#[cfg(test)]\npub(crate) mod tests"))
        .map_or(source, |at| &source[..at])
}

#[test]
fn files_and_functions_are_small() {
    let mut too_long = Vec::new();
    for path in workspace_sources() {
        let source = std::fs::read_to_string(&path).expect("source");
        let lines = source.lines().count();
        if lines > MAX_FILE_LINES {
            too_long.push(format!("{}: {lines} lines", relative(&path)));
        }
        for (name, line, length) in functions(&source) {
            if length > MAX_FUNCTION_LINES {
                too_long.push(format!(
                    "{}:{line}: fn {name} is {length} lines",
                    relative(&path)
                ));
            }
        }
    }
    assert!(
        too_long.is_empty(),
        "files over {MAX_FILE_LINES} lines or functions over {MAX_FUNCTION_LINES}; split them by \
         concern:\n{}",
        too_long.join("\n")
    );
}

/// The module of the extraction library a file belongs to, at the granularity the rules use:
/// `stages::<stage>` for a stage, `contract::<part>` for a contract (the input contract comes
/// before the pipeline, the output contract after it), else the top-level module (`text`,
/// `pipeline`, …).
fn library_module(src: &Path, path: &Path) -> String {
    let parts: Vec<String> = path
        .strip_prefix(src)
        .expect("inside src")
        .with_extension("")
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    match parts.as_slice() {
        [only] => only.clone(),
        [first, second, ..] if (first == "stages" || first == "contract") && second != "mod" => {
            format!("{first}::{second}")
        }
        [first, ..] => first.clone(),
        [] => String::new(),
    }
}

/// The library modules `source` refers to through `crate::` paths, comments aside.
fn references(source: &str) -> BTreeSet<String> {
    let code: String = source
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let source = code.as_str();
    let mut out = BTreeSet::new();
    for (at, _) in source.match_indices("crate::") {
        let before = source[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let path: Vec<&str> = source[at + 7..]
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .next()
            .unwrap_or("")
            .split("::")
            .collect();
        match path.as_slice() {
            [first @ ("stages" | "contract"), second, ..]
                if !second.is_empty() && *second != "testing" =>
            {
                out.insert(format!("{first}::{second}"));
            }
            [first, ..] if !first.is_empty() => {
                out.insert((*first).to_owned());
            }
            _ => {}
        }
    }
    out
}

/// For every library module, the modules its production code refers to.
fn library_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = workspace_root().join("crates/extract/src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in rust_files(&src) {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name == "tests.rs" || name == "testing.rs" {
            continue;
        }
        let module = library_module(&src, &path);
        let source = std::fs::read_to_string(&path).expect("source");
        let mut refers = references(production_part(&source));
        refers.remove(&module);
        graph.entry(module).or_default().extend(refers);
    }
    graph
}

#[test]
fn no_stage_imports_another_stage() {
    let graph = library_graph();
    let mut found = Vec::new();
    for (module, refers) in &graph {
        if module.starts_with("stages::") {
            for other in refers.iter().filter(|r| r.starts_with("stages::")) {
                found.push(format!("{module} → {other}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "a stage reads the Doc and imports no other stage; move shared helpers to the text \
         layer:\n{}",
        found.join("\n")
    );
}

/// A cycle through `node` in `graph`, depth first; `done` holds the nodes already cleared.
fn find_cycle(
    node: &str,
    graph: &BTreeMap<String, BTreeSet<String>>,
    path: &mut Vec<String>,
    done: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    if let Some(at) = path.iter().position(|p| p == node) {
        let mut cycle = path[at..].to_vec();
        cycle.push(node.to_owned());
        return Some(cycle);
    }
    if done.contains(node) {
        return None;
    }
    path.push(node.to_owned());
    for next in graph.get(node).into_iter().flatten() {
        if let Some(cycle) = find_cycle(next, graph, path, done) {
            return Some(cycle);
        }
    }
    path.pop();
    done.insert(node.to_owned());
    None
}

#[test]
fn the_library_modules_form_no_cycle() {
    // Stages are one node here: the rule above already keeps them apart.
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, refers) in library_graph() {
        let node = |m: &str| {
            if m.starts_with("stages::") {
                "stages".to_owned()
            } else {
                m.to_owned()
            }
        };
        let from = node(&module);
        let entry = graph.entry(from.clone()).or_default();
        entry.extend(refers.iter().map(|r| node(r)).filter(|r| *r != from));
    }
    // The extractor and the library root put everything together; nothing may import them.
    for (module, refers) in &graph {
        assert!(
            !refers.contains("extractor") || module == "lib",
            "{module} imports the extractor"
        );
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(cycle) = find_cycle(node, &graph, &mut Vec::new(), &mut done) {
            panic!(
                "the library's modules import each other in a circle: {}\n{graph:#?}",
                cycle.join(" → ")
            );
        }
    }
}

/// The worker crate's modules at file level (`service::at_least_once`, `sinks::kafka`, …) and
/// the modules each refers to.
fn worker_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = workspace_root().join("crates/worker/src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in rust_files(&src) {
        let parts: Vec<String> = path
            .strip_prefix(&src)
            .expect("inside src")
            .with_extension("")
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        let module = match parts.as_slice() {
            [folder, file] if file != "mod" => format!("{folder}::{file}"),
            [first, ..] => first.clone(),
            [] => continue,
        };
        let source = std::fs::read_to_string(&path).expect("source");
        let code: String = production_part(&source)
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let mut refers = BTreeSet::new();
        for (at, _) in code.match_indices("crate::") {
            if code[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
            {
                continue;
            }
            let segments: Vec<&str> = code[at + 7..]
                .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .next()
                .unwrap_or("")
                .split("::")
                .filter(|s| !s.is_empty())
                .collect();
            let target = match segments.as_slice() {
                [folder, file, ..] if src.join(folder).is_dir() => format!("{folder}::{file}"),
                [first, ..] => (*first).to_owned(),
                [] => continue,
            };
            if target != module {
                refers.insert(target);
            }
        }
        graph.entry(module).or_default().extend(refers);
    }
    graph
}

#[test]
fn the_worker_modules_form_no_cycle() {
    let graph = worker_graph();
    assert!(
        graph["service::at_least_once"].contains("sinks::kafka"),
        "the graph sees the worker's imports: {graph:#?}"
    );
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(cycle) = find_cycle(node, &graph, &mut Vec::new(), &mut done) {
            panic!(
                "the worker's modules import each other in a circle: {}",
                cycle.join(" → ")
            );
        }
    }
}

#[test]
fn there_is_one_tokenizer() {
    let src = workspace_root().join("crates/extract/src");
    let tokenizers: Vec<String> = rust_files(&src)
        .into_iter()
        .filter(|path| {
            let source = std::fs::read_to_string(path).expect("source");
            functions(production_part(&source))
                .iter()
                .any(|(name, _, _)| name == "tokenize")
        })
        .map(|path| relative(&path))
        .collect();
    assert_eq!(
        tokenizers,
        ["crates/extract/src/text/tokens.rs"],
        "stages use the text layer's tokens"
    );
}

#[test]
fn the_library_has_no_kafka_and_no_async_runtime() {
    let manifest = std::fs::read_to_string(workspace_root().join("crates/extract/Cargo.toml"))
        .expect("the library's manifest");
    for dependency in ["rdkafka", "tokio"] {
        assert!(
            !manifest
                .lines()
                .any(|l| l.trim_start().starts_with(dependency)),
            "the extraction library must not depend on {dependency}"
        );
    }
}

#[test]
fn the_checks_see_functions_and_references() {
    let source = "fn short() {\n}\n\npub(crate) async fn long(\n    a: u8,\n) {\n    a;\n}\n";
    assert_eq!(
        functions(source),
        [("short".to_owned(), 1, 2), ("long".to_owned(), 4, 5)]
    );
    let refs = references(
        "use crate::stages::dates::X;\n//! [`crate::stages::amounts`]\nuse crate::text::tokens;\nx::crate::y",
    );
    assert_eq!(
        refs.into_iter().collect::<Vec<_>>(),
        ["stages::dates", "text"]
    );
}
