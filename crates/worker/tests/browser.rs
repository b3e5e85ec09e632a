//! The inspector page in a real browser: `newsworker serve` on a free loopback port, and
//! `tests/browser/inspector.mjs` driving Debian's Chromium headless through playwright-core
//! against it. The script pastes the reference article as a JSON envelope, presses Extract and
//! checks that the quotes list names the record's speakers and that the article view highlights
//! every entity mention with its type (see the script's header for every check). Its screenshot
//! is kept as an artefact in `target/test-artifacts/inspector.png`.
//!
//! `scripts/install-test-tools.sh` installs what this needs: Debian's `chromium` and, with
//! `npm ci`, `tests/browser/node_modules`; without them the test fails and says so. Without the
//! shared data (a clone on its own) it pastes the first shipped demo article instead, so that
//! the page is still tested; CI has the shared data and so the reference article.

mod common;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{free_port, http_get, repo_root};

/// How long the browser script may take (it needs a few seconds; a hang fails instead).
const SCRIPT_WITHIN: Duration = Duration::from_secs(180);

/// `newsworker serve`, killed when dropped; its log goes to a file shown on failure.
struct Server {
    child: Child,
    addr: SocketAddr,
    log: PathBuf,
}

impl Server {
    fn start(dir: &Path) -> Server {
        let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
        let log = dir.join("serve.log");
        let child = Command::new(env!("CARGO_BIN_EXE_newsworker"))
            .args(["serve", "--listen", &addr.to_string()])
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("server log"))
            .spawn()
            .expect("start newsworker serve");
        let mut server = Server { child, addr, log };
        server.wait_healthy(Duration::from_secs(60));
        server
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until `/healthz` answers 200 (the model loads first).
    fn wait_healthy(&mut self, within: Duration) {
        let deadline = Instant::now() + within;
        while !http_get(self.addr, "/healthz").is_some_and(|(status, _)| status.contains(" 200")) {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("newsworker serve exited with {status}:\n{}", self.log());
            }
            assert!(
                Instant::now() < deadline,
                "newsworker serve not healthy within {within:?}:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The article to paste: the reference article from the shared data, else the first demo
/// sample (written to `dir` as one envelope).
fn article(dir: &Path) -> PathBuf {
    let reference = newsworker_testkit::shared_root().join("corpus/nato-explainer.json");
    if reference.exists() {
        return reference;
    }
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    assert!(
        !ci,
        "CI=true requires the reference article {}",
        reference.display()
    );
    eprintln!("no shared data: the browser test pastes the first demo sample instead");
    let samples = std::fs::read_to_string(repo_root().join("samples/articles.jsonl")).unwrap();
    let first = samples.lines().next().expect("a demo sample");
    let path = dir.join("demo-sample.json");
    std::fs::write(&path, first).unwrap();
    path
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
    let browser_tests = repo_root().join("tests/browser");
    check_tools(&browser_tests);
    let dir = tempfile::tempdir().unwrap();
    let article = article(dir.path());
    let screenshot = repo_root().join("target/test-artifacts/inspector.png");
    let _ = std::fs::remove_file(&screenshot);
    let server = Server::start(dir.path());

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
        "the browser test failed ({status}):\n{printed}\nserver log:\n{}",
        server.log()
    );
    println!("{printed}");
    assert!(
        screenshot.exists(),
        "no screenshot at {}",
        screenshot.display()
    );
}
