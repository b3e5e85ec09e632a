//! The inspector page in a real browser: `newsworker serve` on a free loopback port, and
//! `tests/browser/inspector.mjs` driving Debian's Chromium headless through playwright-core
//! against it. The script pastes the reference article as a JSON envelope, presses Extract and
//! checks that the quotes list names the record's speakers and that the article view highlights
//! every entity mention with its type (see the script's header for every check). Its screenshot
//! is kept as an artefact in `target/test-artifacts/inspector.png`.
//!
//! `scripts/install-test-tools.sh` installs what this needs: Debian's `chromium` and, with
//! `npm ci`, `tests/browser/node_modules`; without them the test fails and says so. Like the
//! other tests of the reference article, it is skipped (and listed) in a clone without the
//! shared data, and fails in CI without it.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::serve::Server;
use common::{http_get, repo_root};

/// How long the browser script may take (it needs a few seconds; a hang fails instead).
const SCRIPT_WITHIN: Duration = Duration::from_secs(180);

/// Waits until the server's `/healthz` answers 200.
fn wait_healthy(server: &Server) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !http_get(server.addr, "/healthz").is_some_and(|(status, _)| status.contains(" 200")) {
        assert!(
            Instant::now() < deadline,
            "newsworker serve at {} is not healthy",
            server.addr
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Checks that the tools the script needs are installed, naming the fix when one is not.
fn check_tools(browser_tests: &Path) {
    let fix = "run `bash scripts/install-test-tools.sh`";
    assert!(
        Command::new("node").arg("--version").output().is_ok(),
        "node is not installed: {fix}"
    );
    assert!(
        Path::new("/usr/bin/chromium").exists(),
        "Debian's chromium is not installed: {fix}"
    );
    assert!(
        browser_tests.join("node_modules/playwright-core").exists(),
        "playwright-core is not installed in tests/browser: {fix}"
    );
}

#[test]
fn the_inspector_page_shows_speakers_and_highlighted_entities() {
    let Some(article) =
        newsworker_testkit::shared("browser (the inspector page)", "corpus/nato-explainer.json")
    else {
        return;
    };
    let browser_tests = repo_root().join("tests/browser");
    check_tools(&browser_tests);
    let dir = tempfile::tempdir().unwrap();
    let screenshot = repo_root().join("target/test-artifacts/inspector.png");
    let _ = std::fs::remove_file(&screenshot);
    let server = Server::start(&[]);
    wait_healthy(&server);

    // The script's stdout and stderr share one file, so its messages stay in order.
    let output = dir.path().join("browser.log");
    let printed_to = std::fs::File::create(&output).unwrap();
    let mut script = Command::new("node")
        .arg(browser_tests.join("inspector.mjs"))
        .arg(format!("http://{}/", server.addr))
        .arg(&article)
        .arg(&screenshot)
        .stdout(printed_to.try_clone().unwrap())
        .stderr(printed_to)
        .spawn()
        .expect("run node");
    let deadline = Instant::now() + SCRIPT_WITHIN;
    let status = loop {
        if let Some(status) = script.try_wait().unwrap() {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = script.kill();
            let _ = script.wait();
            panic!(
                "the browser script did not finish within {SCRIPT_WITHIN:?}:\n{}",
                std::fs::read_to_string(&output).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let printed = std::fs::read_to_string(&output).unwrap_or_default();
    assert!(
        status.success(),
        "the browser test failed ({status}):\n{printed}"
    );
    println!("{printed}");
    assert!(
        screenshot.exists(),
        "no screenshot at {}",
        screenshot.display()
    );
}
