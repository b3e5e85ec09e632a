//! The documentation holds together: every relative link in `README.md`, `ARCHITECTURE.md` and
//! `docs/*.md` points at a file or folder of the repository that exists, a `#anchor` into a
//! markdown file names one of its headings, and the README stays short enough to read in ten
//! minutes (at most 250 lines; the rest lives in `docs/`).
//!
//! Links are read as GitHub renders them: inline links and images (`[text](target)`,
//! `![alt](target)`) and reference definitions (`[name]: target`), outside fenced code blocks
//! and code spans. Links with a scheme (`https:`, `mailto:`) are not followed. An anchor is a
//! heading's GitHub slug: the heading's text in lower case, without the characters that are
//! neither letters, digits, spaces, hyphens nor underscores, spaces turned into hyphens, and
//! `-1`, `-2`, … after repeats of an earlier heading's slug.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use newsworker_testkit::workspace_root;
use regex::Regex;

const MAX_README_LINES: usize = 250;

/// The markdown files whose links are checked, relative to the workspace root.
fn documents() -> Vec<PathBuf> {
    let mut out = vec![PathBuf::from("README.md"), PathBuf::from("ARCHITECTURE.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(workspace_root().join("docs"))
        .expect("docs/ folder")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .map(|path| Path::new("docs").join(path.file_name().expect("file name")))
        .collect();
    docs.sort();
    out.extend(docs);
    out
}

/// `markdown`'s lines outside fenced code blocks, with their line numbers (from 1).
fn prose_lines(markdown: &str) -> Vec<(usize, &str)> {
    let mut fence: Option<String> = None;
    let mut out = Vec::new();
    for (i, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        let marker: String = trimmed
            .chars()
            .take_while(|c| *c == '`' || *c == '~')
            .collect();
        let is_fence = marker.len() >= 3
            && (marker.chars().all(|c| c == '`') || marker.chars().all(|c| c == '~'));
        match &fence {
            Some(open) if is_fence && marker.starts_with(open.as_str()) => fence = None,
            Some(_) => {}
            None if is_fence => fence = Some(marker),
            None => out.push((i + 1, line)),
        }
    }
    out
}

/// `line` with its code spans (`` `…` ``, ``` ``…`` ```) removed.
fn without_code_spans(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find('`') {
        out.push_str(&rest[..at]);
        let ticks = rest[at..].chars().take_while(|c| *c == '`').count();
        let after = &rest[at + ticks..];
        let close = "`".repeat(ticks);
        match after.find(&close) {
            Some(end) => rest = &after[end + ticks..],
            None => {
                out.push_str(&rest[at..]);
                return out;
            }
        }
    }
    out.push_str(rest);
    out
}

/// (line, target) of every link in `markdown`.
fn links(markdown: &str) -> Vec<(usize, String)> {
    let inline = Regex::new(r#"\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)"#).expect("regex");
    let definition = Regex::new(r"^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?").expect("regex");
    let mut out = Vec::new();
    for (number, line) in prose_lines(markdown) {
        let line = without_code_spans(line);
        for captures in inline
            .captures_iter(&line)
            .chain(definition.captures_iter(&line))
        {
            out.push((number, captures[1].to_string()));
        }
    }
    out
}

/// GitHub's slug of a heading's text.
fn slug(heading: &str) -> String {
    let text = Regex::new(r"!?\[([^\]]*)\]\([^)]*\)")
        .expect("regex")
        .replace_all(heading, "$1");
    text.trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of `markdown`'s headings, repeats numbered as GitHub numbers them.
fn anchors(markdown: &str) -> BTreeSet<String> {
    let heading = Regex::new(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$").expect("regex");
    let mut out = BTreeSet::new();
    for (_, line) in prose_lines(markdown) {
        let Some(captures) = heading.captures(line) else {
            continue;
        };
        let base = slug(&captures[1]);
        let mut anchor = base.clone();
        let mut repeat = 0;
        while out.contains(&anchor) {
            repeat += 1;
            anchor = format!("{base}-{repeat}");
        }
        out.insert(anchor);
    }
    out
}

/// `path` with `.` and `..` resolved lexically, or `None` when it climbs above its start.
fn normalised(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    Some(out)
}

/// What is wrong with the link `target` in the document `document` of the repository at `root`
/// (both relative paths), or `None` when it resolves.
fn broken(root: &Path, document: &Path, target: &str) -> Option<String> {
    let has_scheme = Regex::new(r"^[a-zA-Z][a-zA-Z0-9+.-]*:").expect("regex");
    if has_scheme.is_match(target) {
        return None;
    }
    if target.is_empty() {
        return Some("empty link".into());
    }
    let (path, anchor) = match target.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor)),
        None => (target, None),
    };
    if path.starts_with('/') {
        return Some(format!(
            "`{target}` is absolute; link relative to the document"
        ));
    }
    let path = path.replace("%20", " ");
    let relative = if path.is_empty() {
        Some(document.to_path_buf())
    } else {
        normalised(&document.parent().unwrap_or(Path::new("")).join(&path))
    };
    let Some(relative) = relative else {
        return Some(format!("`{target}` points outside the repository"));
    };
    let file = root.join(&relative);
    if !file.exists() {
        return Some(format!("`{target}`: no {}", relative.display()));
    }
    let anchor = anchor.filter(|_| file.extension().is_some_and(|e| e == "md"))?;
    let text = std::fs::read_to_string(&file).expect("readable markdown");
    if anchors(&text).contains(anchor) {
        return None;
    }
    Some(format!(
        "`{target}`: no heading with anchor #{anchor} in {}",
        relative.display()
    ))
}

/// Every broken link of the repository at `root`'s `documents`, as `FILE:LINE: problem`.
fn broken_links(root: &Path, documents: &[PathBuf]) -> Vec<String> {
    let mut out = Vec::new();
    for document in documents {
        let text = std::fs::read_to_string(root.join(document))
            .unwrap_or_else(|e| panic!("{}: {e}", document.display()));
        for (line, target) in links(&text) {
            if let Some(problem) = broken(root, document, &target) {
                out.push(format!("{}:{line}: {problem}", document.display()));
            }
        }
    }
    out
}

#[test]
fn every_link_of_the_documentation_resolves() {
    let documents = documents();
    assert!(documents.len() > 2, "docs/ holds no markdown file");
    let broken = broken_links(workspace_root(), &documents);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_readme_reads_in_ten_minutes() {
    let readme = std::fs::read_to_string(workspace_root().join("README.md")).expect("README.md");
    let lines = readme.lines().count();
    assert!(
        lines <= MAX_README_LINES,
        "README.md has {lines} lines, more than {MAX_README_LINES}: move detail into docs/"
    );
}

#[test]
fn the_checks_see_broken_links_and_anchors() {
    let root = std::env::temp_dir().join(format!("newsworker-docs-links-{}", std::process::id()));
    std::fs::create_dir_all(root.join("docs")).expect("temporary folder");
    let readme =
        "# Title\n\n## Per-key order\n\n## On this project's machine\n\n## Per-key order\n\n\
        [ok](docs/a.md) [ok](docs/a.md#the-dates-field) [ok](#per-key-order-1)\n\
        [ok](#on-this-projects-machine) [web](https://example.org/x) ![img](docs/a.md)\n\
        [gone](docs/missing.md) [bad anchor](docs/a.md#nowhere) [self](#title-2)\n\
        `[not a link](nowhere.md)`\n\n```text\n[in code](nowhere.md)\n```\n\
        [outside](../shared/x.md)\n\n[ref]: docs/gone.md\n";
    std::fs::write(root.join("README.md"), readme).expect("write");
    std::fs::write(root.join("docs/a.md"), "# A\n\n## The `dates[]` field\n").expect("write");
    let broken = broken_links(&root, &[PathBuf::from("README.md")]);
    std::fs::remove_dir_all(&root).expect("remove temporary folder");
    let expected = [
        "README.md:11: `docs/missing.md`: no docs/missing.md",
        "README.md:11: `docs/a.md#nowhere`: no heading with anchor #nowhere in docs/a.md",
        "README.md:11: `#title-2`: no heading with anchor #title-2 in README.md",
        "README.md:17: `../shared/x.md` points outside the repository",
        "README.md:19: `docs/gone.md`: no docs/gone.md",
    ];
    assert_eq!(broken, expected);
    assert_eq!(
        slug("Migrating readers of `dates[]` (the `schema_version` 2 release)"),
        "migrating-readers-of-dates-the-schema_version-2-release"
    );
}
