//! `newsworker serve` started as a user starts it: the built binary on a free port, its
//! configuration from environment variables.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// A running `newsworker serve`; dropping it kills the process.
pub struct Server {
    /// Where it listens.
    pub addr: SocketAddr,
    child: Option<Child>,
}

impl Server {
    /// One server with the default configuration, shared by a test binary's tests (it dies with
    /// the test process).
    pub fn shared() -> &'static Server {
        static SHARED: OnceLock<Server> = OnceLock::new();
        SHARED.get_or_init(|| Server::start(&[]))
    }

    /// Starts a server on a free port with `env` set, and waits until it listens.
    pub fn start(env: &[(&str, &str)]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_newsworker"));
        command
            .args(["serve", "--listen", "127.0.0.1:0"])
            .envs(env.iter().copied())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = super::kafka::spawn_tied(command);
        let stderr = child.stderr.take().expect("piped stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        // Reads stderr for the address, then keeps draining it so the server never blocks.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("listening on http://").nth(1) {
                    let addr = rest.split_whitespace().next().unwrap_or_default();
                    let _ = tx.send(addr.parse::<SocketAddr>().ok());
                } else {
                    eprintln!("serve: {line}");
                }
            }
        });
        let started = Instant::now();
        let addr = rx
            .recv_timeout(Duration::from_secs(120))
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("serve did not listen within {:?}", started.elapsed()));
        Server {
            addr,
            child: Some(child),
        }
    }

    /// SIGTERM, and the exit status once the process has stopped (within a minute).
    pub fn terminate(mut self) -> ExitStatus {
        let mut child = self.child.take().expect("a running server");
        let status = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -TERM failed");
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = child.try_wait().expect("wait for serve") {
                return status;
            }
            assert!(Instant::now() < deadline, "serve did not stop within 60 s");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
