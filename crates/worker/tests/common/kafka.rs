//! Apache Kafka for the tests: KRaft brokers started from the jars that
//! `scripts/install-test-tools.sh` copies from Maven Central (Kafka 4.1.2, no ZooKeeper).
//!
//! A [`Broker`] is a cluster of one node (broker and controller in one JVM) or of three
//! (each node both, a three-voter quorum), on loopback ports of its own, with its data in a
//! temporary directory. Starting one costs two JVM starts per node — `StorageTool format` writes
//! the node's metadata directory, then `kafka.Kafka` runs it — about 5–10 s on two cores, so a
//! test binary shares one plain single-node broker between its tests ([`Broker::shared`]) and
//! starts its own only where it restarts, kills or reconfigures one. Every test keeps to its own
//! topics and groups.
//!
//! The JVMs are children of the test process and die with it: each is started by one
//! long-lived thread with `PR_SET_PDEATHSIG` (the kernel kills a child when the thread that
//! spawned it ends, so it must be a thread that never ends before the process), and the shared
//! broker is also stopped, and its directory removed, at exit ([`libc::atexit`]).
//!
//! Beside the plain listener every broker has (`PLAINTEXT`, used between nodes and by the
//! tests' own clients), [`Options::listener`] adds listeners with TLS served by the broker
//! itself and SASL logins (PLAIN, SCRAM-SHA-256/512 with users made at format time,
//! OAUTHBEARER with the broker's unsecured test tokens).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::ClientConfig;

use super::free_port;

/// The Kafka release the tests run on (the jars `install-test-tools.sh` installs).
pub const KAFKA_VERSION: &str = "4.1.2";

/// The directory of the broker's jars: `NEWSWORKER_KAFKA_LIBS`, else the tools cache.
fn kafka_libs() -> PathBuf {
    let libs = std::env::var_os("NEWSWORKER_KAFKA_LIBS")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| super::tools_dir().join(format!("kafka-{KAFKA_VERSION}/libs")));
    assert!(
        libs.join(format!("kafka_2.13-{KAFKA_VERSION}.jar")).is_file(),
        "Apache Kafka {KAFKA_VERSION} is not installed in {}: run `bash scripts/install-test-tools.sh` \
         (or set NEWSWORKER_KAFKA_LIBS to a directory holding the broker's jars)",
        libs.display()
    );
    libs
}

/// `java` from `JAVA_HOME`, else from the `PATH`.
pub fn java() -> PathBuf {
    std::env::var_os("JAVA_HOME")
        .map(|home| PathBuf::from(home).join("bin/java"))
        .filter(|java| java.is_file())
        .unwrap_or_else(|| PathBuf::from("java"))
}

/// A JVM command over the broker's classpath, logging as `log4j` says. The JIT stops at its
/// first tier and the heap is small: a test broker moves little data, and both halve the
/// start-up on two cores.
fn jvm(main_class: &str, heap: &str, log4j: &Path) -> Command {
    let mut command = Command::new(java());
    command
        .args([
            format!("-Dlog4j2.configurationFile={}", log4j.display()),
            format!("-Xmx{heap}"),
            "-Xms64m".to_owned(),
            "-XX:+UseSerialGC".to_owned(),
            "-XX:TieredStopAtLevel=1".to_owned(),
            "-XX:-UsePerfData".to_owned(),
            "-Djava.awt.headless=true".to_owned(),
        ])
        .arg("-cp")
        .arg(format!("{}/*", kafka_libs().display()))
        .arg(main_class)
        .stdin(Stdio::null());
    command
}

/// Spawns `command` from the one thread that lives as long as the test process, with
/// `PR_SET_PDEATHSIG`, so that a broker never outlives the test binary that started it,
/// however that binary ends.
pub fn spawn_tied(mut command: Command) -> Child {
    type Request = (Command, mpsc::Sender<std::io::Result<Child>>);
    static SPAWNER: OnceLock<Mutex<mpsc::Sender<Request>>> = OnceLock::new();
    let spawner = SPAWNER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Request>();
        std::thread::Builder::new()
            .name("broker-spawner".into())
            .spawn(move || {
                for (mut command, reply) in rx {
                    let _ = reply.send(command.spawn());
                }
                // The senders live in a static: this loop never ends before the process.
            })
            .expect("spawner thread");
        Mutex::new(tx)
    });
    // SAFETY: prctl is async-signal-safe, as a pre_exec hook must be.
    unsafe {
        use std::os::unix::process::CommandExt;
        command.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
    let (reply, answer) = mpsc::channel();
    spawner
        .lock()
        .expect("spawner")
        .send((command, reply))
        .expect("spawner alive");
    answer
        .recv()
        .expect("spawner answers")
        .expect("start the JVM")
}

/// The security protocol of an extra listener.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// TLS, served by the broker.
    Ssl,
    /// SASL logins over plain TCP.
    SaslPlaintext,
    /// SASL logins over TLS.
    SaslSsl,
}

impl Protocol {
    fn name(self) -> &'static str {
        match self {
            Protocol::Ssl => "SSL",
            Protocol::SaslPlaintext => "SASL_PLAINTEXT",
            Protocol::SaslSsl => "SASL_SSL",
        }
    }

    fn tls(self) -> bool {
        matches!(self, Protocol::Ssl | Protocol::SaslSsl)
    }
}

/// The SASL mechanisms a SASL listener enables: users and their passwords for PLAIN and
/// SCRAM (the same for both SCRAM hashes), and OAUTHBEARER with unsecured tokens.
pub const SASL_MECHANISMS: [&str; 4] = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER"];

/// A TLS identity in PEM files: the broker's key (PKCS#8) and certificate, and the CA that
/// signed it, for clients to verify it.
#[derive(Clone, Debug)]
pub struct Tls {
    pub key: PathBuf,
    pub certificate: PathBuf,
    pub ca: PathBuf,
}

/// How to start a broker beyond the defaults.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// 1 (the default, for 0) or 3.
    pub nodes: usize,
    /// Extra listeners by name, e.g. `("TLS", Protocol::Ssl)`.
    pub listeners: Vec<(String, Protocol)>,
    /// The broker's TLS identity, for the TLS listeners.
    pub tls: Option<Tls>,
    /// SASL users (name, password): PLAIN users, and SCRAM users of both hashes.
    pub users: Vec<(String, String)>,
    /// Extra `server.properties` lines.
    pub properties: Vec<(String, String)>,
}

impl Options {
    /// Adds a listener named `name` with `protocol`.
    pub fn listener(mut self, name: &str, protocol: Protocol) -> Options {
        self.listeners.push((name.to_owned(), protocol));
        self
    }
}

/// One KRaft node: broker and controller in one JVM.
struct Node {
    id: usize,
    /// The PLAINTEXT client port, then the extra listeners' ports, in `Options` order.
    ports: Vec<u16>,
    controller_port: u16,
    dir: PathBuf,
    child: Option<Child>,
}

impl Node {
    fn properties_path(&self) -> PathBuf {
        self.dir.join("server.properties")
    }

    fn log_path(&self) -> PathBuf {
        self.dir.join("server.log")
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    fn spawn(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path())
            .expect("broker log");
        let log4j = self.dir.parent().expect("cluster dir").join("log4j2.yaml");
        let mut command = jvm("kafka.Kafka", "512m", &log4j);
        command
            .arg(self.properties_path())
            .stdout(Stdio::from(log.try_clone().expect("log")))
            .stderr(Stdio::from(log));
        self.child = Some(spawn_tied(command));
    }

    /// SIGKILL: no shutdown, no flush (log recovery runs at the next start).
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| c.try_wait().ok().flatten().is_none())
    }
}

/// A KRaft cluster of one or three nodes, killed on drop.
pub struct Broker {
    nodes: Vec<Node>,
    options: Options,
    dir: tempfile::TempDir,
}

/// Log4j 2 configuration of every node: INFO to standard output (the node's `server.log`),
/// the chattiest loggers at WARN.
const LOG4J: &str = "Configuration:
  Appenders:
    Console:
      name: STDOUT
      PatternLayout:
        pattern: \"[%d] %p %m (%c)%n\"
  Loggers:
    Logger:
      - name: kafka.log
        level: WARN
      - name: org.apache.kafka.storage
        level: WARN
      - name: state.change.logger
        level: WARN
      - name: kafka.request.logger
        level: WARN
    Root:
      level: INFO
      AppenderRef:
        - ref: STDOUT
";

impl Broker {
    /// Starts a single-node broker with the plain listener only.
    pub fn start() -> Broker {
        Broker::start_with(Options::default())
    }

    /// The single-node broker shared by the tests of this binary: started by the first test
    /// that asks, stopped when the binary exits. Never restart or reconfigure it: a test that
    /// does starts its own ([`Broker::start`]).
    pub fn shared() -> &'static Broker {
        static SHARED: OnceLock<&'static Broker> = OnceLock::new();
        SHARED.get_or_init(|| Broker::start().until_exit())
    }

    /// Keeps this broker until the test binary exits, then kills its nodes and removes its
    /// directory: for a broker that several tests share through a static.
    pub fn until_exit(self) -> &'static Broker {
        static KEPT: Mutex<Vec<&'static Broker>> = Mutex::new(Vec::new());
        extern "C" fn stop_kept() {
            let Ok(kept) = KEPT.lock() else { return };
            for broker in kept.iter() {
                for child in broker.nodes.iter().filter_map(|n| n.child.as_ref()) {
                    // SAFETY: kill(2) on a child of this process.
                    unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
                }
                let _ = std::fs::remove_dir_all(broker.dir.path());
            }
        }
        let broker: &'static Broker = Box::leak(Box::new(self));
        let mut kept = KEPT.lock().expect("kept brokers");
        if kept.is_empty() {
            // SAFETY: registers a plain function to run at exit.
            unsafe { libc::atexit(stop_kept) };
        }
        kept.push(broker);
        broker
    }

    /// Starts a cluster as `options` say and waits until every node serves clients.
    pub fn start_with(options: Options) -> Broker {
        let count = options.nodes.max(1);
        let started = Instant::now();
        let dir = tempfile::Builder::new()
            .prefix("kafka-test-")
            .tempdir()
            .expect("temp dir");
        std::fs::write(dir.path().join("log4j2.yaml"), LOG4J).expect("log4j config");
        let nodes = (1..=count)
            .map(|id| Node {
                id,
                ports: (0..=options.listeners.len()).map(|_| free_port()).collect(),
                controller_port: free_port(),
                dir: dir.path().join(format!("node-{id}")),
                child: None,
            })
            .collect();
        let mut broker = Broker {
            nodes,
            options,
            dir,
        };
        broker.format();
        for node in &mut broker.nodes {
            node.spawn();
        }
        broker.wait_serving(Duration::from_secs(120));
        eprintln!(
            "Apache Kafka {KAFKA_VERSION}: {count} node(s) formatted and serving in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        broker
    }

    /// Writes each node's `server.properties` and formats its metadata directory, the nodes
    /// in parallel (each format is a JVM start).
    fn format(&mut self) {
        let cluster_id = cluster_id();
        let formats: Vec<_> = self
            .nodes
            .iter()
            .map(|node| {
                std::fs::create_dir_all(&node.dir).expect("node dir");
                std::fs::write(node.properties_path(), self.server_properties(node))
                    .expect("server.properties");
                let mut command = jvm(
                    "kafka.tools.StorageTool",
                    "256m",
                    &self.dir.path().join("log4j2.yaml"),
                );
                command
                    .args(["format", "-t", &cluster_id, "-c"])
                    .arg(node.properties_path());
                if self.nodes.len() == 1 {
                    command.arg("--standalone");
                }
                for (user, password) in &self.options.users {
                    for mechanism in ["SCRAM-SHA-256", "SCRAM-SHA-512"] {
                        command
                            .arg("--add-scram")
                            .arg(format!("{mechanism}=[name={user},password={password}]"));
                    }
                }
                command.stdout(Stdio::piped()).stderr(Stdio::piped());
                command.spawn().expect("run StorageTool")
            })
            .collect();
        for format in formats {
            let out = format.wait_with_output().expect("StorageTool");
            assert!(
                out.status.success(),
                "formatting a Kafka node failed:\n{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }

    /// The `server.properties` of `node`.
    fn server_properties(&self, node: &Node) -> String {
        let count = self.nodes.len();
        let replicas = count.min(3);
        let mut listeners = vec![format!("PLAINTEXT://127.0.0.1:{}", node.ports[0])];
        let mut protocols = vec![
            "PLAINTEXT:PLAINTEXT".to_owned(),
            "CONTROLLER:PLAINTEXT".into(),
        ];
        for ((name, protocol), port) in self.options.listeners.iter().zip(&node.ports[1..]) {
            listeners.push(format!("{name}://127.0.0.1:{port}"));
            protocols.push(format!("{name}:{}", protocol.name()));
        }
        let advertised = listeners.join(",");
        listeners.push(format!("CONTROLLER://127.0.0.1:{}", node.controller_port));
        let voters: Vec<String> = self
            .nodes
            .iter()
            .map(|n| format!("{}@127.0.0.1:{}", n.id, n.controller_port))
            .collect();
        let quorum = if count == 1 {
            format!(
                "controller.quorum.bootstrap.servers=127.0.0.1:{}",
                node.controller_port
            )
        } else {
            format!("controller.quorum.voters={}", voters.join(","))
        };
        let mut lines = vec![
            "process.roles=broker,controller".to_owned(),
            format!("node.id={}", node.id),
            format!("listeners={}", listeners.join(",")),
            format!("advertised.listeners={advertised}"),
            format!("listener.security.protocol.map={}", protocols.join(",")),
            "inter.broker.listener.name=PLAINTEXT".into(),
            "controller.listener.names=CONTROLLER".into(),
            quorum,
            format!("log.dirs={}", node.dir.join("data").display()),
            // Topics are made by the tests, never by a client's metadata request.
            "auto.create.topics.enable=false".into(),
            format!("default.replication.factor={replicas}"),
            format!("offsets.topic.replication.factor={replicas}"),
            "offsets.topic.num.partitions=4".into(),
            format!("transaction.state.log.replication.factor={replicas}"),
            format!("transaction.state.log.min.isr={}", replicas.min(2)),
            "transaction.state.log.num.partitions=4".into(),
            format!("share.coordinator.state.topic.replication.factor={replicas}"),
            "share.coordinator.state.topic.min.isr=1".into(),
            "group.initial.rebalance.delay.ms=0".into(),
            // The consumer group protocol (KIP-848) keeps its sessions on the broker: short ones,
            // as the tests' classic members have (session.timeout.ms 6 s).
            "group.consumer.min.session.timeout.ms=6000".into(),
            "group.consumer.session.timeout.ms=6000".into(),
            "group.consumer.min.heartbeat.interval.ms=500".into(),
            "group.consumer.heartbeat.interval.ms=500".into(),
            // Small pools: a test broker serves a few clients on two shared cores.
            "num.network.threads=2".into(),
            "num.io.threads=2".into(),
            "background.threads=2".into(),
            "num.recovery.threads.per.data.dir=1".into(),
            "log.cleaner.threads=1".into(),
            "log.cleaner.dedupe.buffer.size=2097152".into(),
        ];
        lines.extend(self.security_properties());
        lines.extend(
            self.options
                .properties
                .iter()
                .map(|(k, v)| format!("{k}={v}")),
        );
        lines.join("\n") + "\n"
    }

    /// The TLS identity and SASL login modules of the extra listeners.
    fn security_properties(&self) -> Vec<String> {
        let mut lines = Vec::new();
        let protocols: Vec<Protocol> = self.options.listeners.iter().map(|(_, p)| *p).collect();
        if protocols.iter().any(|p| p.tls()) {
            let tls = self
                .options
                .tls
                .as_ref()
                .expect("a TLS listener needs Options::tls");
            let pem = |path: &Path| {
                std::fs::read_to_string(path)
                    .expect("PEM file")
                    .trim()
                    .replace('\n', "\\n")
            };
            lines.push("ssl.keystore.type=PEM".into());
            lines.push(format!("ssl.keystore.key={}", pem(&tls.key)));
            lines.push(format!(
                "ssl.keystore.certificate.chain={}",
                pem(&tls.certificate)
            ));
        }
        let sasl: Vec<&str> = self
            .options
            .listeners
            .iter()
            .filter(|(_, p)| matches!(p, Protocol::SaslPlaintext | Protocol::SaslSsl))
            .map(|(name, _)| name.as_str())
            .collect();
        if !sasl.is_empty() {
            lines.push(format!(
                "sasl.enabled.mechanisms={}",
                SASL_MECHANISMS.join(",")
            ));
        }
        let plain_users: String = self
            .options
            .users
            .iter()
            .map(|(u, p)| format!(" user_{u}=\"{p}\""))
            .collect();
        for name in sasl {
            let prefix = format!("listener.name.{}", name.to_ascii_lowercase());
            lines.push(format!(
                "{prefix}.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required{plain_users};"
            ));
            for scram in ["scram-sha-256", "scram-sha-512"] {
                lines.push(format!(
                    "{prefix}.{scram}.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;"
                ));
            }
            lines.push(format!(
                "{prefix}.oauthbearer.sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub=\"broker\";"
            ));
        }
        lines
    }

    /// Waits until every running node logs that it started and answers a metadata request
    /// naming every running node.
    fn wait_serving(&mut self, within: Duration) {
        let deadline = Instant::now() + within;
        for i in 0..self.nodes.len() {
            if self.nodes[i].child.is_none() {
                continue;
            }
            while !self.nodes[i].log().contains("Kafka Server started") {
                let running = self.nodes[i].running();
                assert!(
                    running && Instant::now() < deadline,
                    "Kafka node {} did not start:\n{}",
                    self.nodes[i].id,
                    tail(&self.nodes[i].log(), 60)
                );
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        let live = self.nodes.iter().filter(|n| n.child.is_some()).count();
        let consumer: BaseConsumer = self.admin_config().create().expect("metadata client");
        loop {
            let brokers = consumer
                .fetch_metadata(None, Duration::from_secs(5))
                .map_or(0, |m| m.brokers().len());
            if brokers >= live {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "Kafka answers with {brokers} of {live} brokers:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// `host:port,…` of the plain listeners, for `bootstrap.servers`.
    pub fn bootstrap(&self) -> String {
        self.nodes
            .iter()
            .map(|n| format!("127.0.0.1:{}", n.ports[0]))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// `host:port,…` of the extra listener `name`.
    pub fn listener(&self, name: &str) -> String {
        let index = self
            .options
            .listeners
            .iter()
            .position(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no listener named {name}"))
            + 1;
        self.nodes
            .iter()
            .map(|n| format!("127.0.0.1:{}", n.ports[index]))
            .collect::<Vec<_>>()
            .join(",")
    }

    fn admin_config(&self) -> ClientConfig {
        let mut config = ClientConfig::new();
        config.set("bootstrap.servers", self.bootstrap());
        config
    }

    /// SIGKILLs every node and starts them again on the same ports and data.
    pub fn restart(&mut self) {
        self.stop();
        self.start_nodes();
    }

    /// SIGKILLs every node.
    pub fn stop(&mut self) {
        for node in &mut self.nodes {
            node.kill();
        }
    }

    /// Starts every node that is not running and waits until they serve.
    pub fn start_nodes(&mut self) {
        for node in &mut self.nodes {
            if node.child.is_none() {
                node.spawn();
            }
        }
        self.wait_serving(Duration::from_secs(120));
    }

    /// SIGKILLs node `id` (1-based) alone.
    pub fn kill_node(&mut self, id: i32) {
        self.node_mut(id).kill();
    }

    /// Starts node `id` again (after [`Broker::kill_node`]) without waiting for it.
    pub fn start_node(&mut self, id: i32) {
        self.node_mut(id).spawn();
    }

    fn node_mut(&mut self, id: i32) -> &mut Node {
        self.nodes
            .iter_mut()
            .find(|n| n.id as i32 == id)
            .unwrap_or_else(|| panic!("no node {id}"))
    }

    /// The node that is the active controller now, as the nodes' logs say: the latest
    /// "Becoming the active controller at epoch E" among the running nodes, by epoch.
    pub fn active_controller(&mut self) -> Option<i32> {
        let mut best: Option<(u64, i32)> = None;
        for node in &mut self.nodes {
            if !node.running() {
                continue;
            }
            for line in node.log().lines() {
                let Some(rest) = line
                    .split("Becoming the active controller at epoch ")
                    .nth(1)
                else {
                    continue;
                };
                let epoch: u64 = rest
                    .split(|c: char| !c.is_ascii_digit())
                    .next()
                    .and_then(|e| e.parse().ok())
                    .unwrap_or(0);
                if best.is_none_or(|(e, _)| epoch > e) {
                    best = Some((epoch, node.id as i32));
                }
            }
        }
        best.map(|(_, id)| id)
    }

    /// The leader of `topic`'s partition `partition` in the cluster's metadata (-1: none).
    pub fn leader(&self, topic: &str, partition: i32) -> i32 {
        let consumer: BaseConsumer = self.admin_config().create().expect("metadata client");
        consumer
            .fetch_metadata(Some(topic), Duration::from_secs(10))
            .ok()
            .and_then(|m| {
                m.topics()
                    .first()?
                    .partitions()
                    .iter()
                    .find(|p| p.id() == partition)
                    .map(|p| p.leader())
            })
            .unwrap_or(-1)
    }

    /// Every node's log so far, each under its node's name.
    pub fn log(&self) -> String {
        self.nodes
            .iter()
            .map(|n| format!("--- Kafka node {} ---\n{}", n.id, tail(&n.log(), 200)))
            .collect()
    }

    /// Creates a topic with `partitions` partitions, replicated to every node (up to three).
    pub fn create_topic(&self, name: &str, partitions: i32) {
        self.create_topic_with(name, partitions, &[]);
    }

    /// [`Broker::create_topic`] with topic `configs` (e.g. `max.message.bytes`), and waits until
    /// every partition has a leader.
    pub fn create_topic_with(&self, name: &str, partitions: i32, configs: &[(&str, &str)]) {
        let replicas = self.nodes.len().min(3) as i32;
        let mut topic = NewTopic::new(name, partitions, TopicReplication::Fixed(replicas));
        for (key, value) in configs {
            topic = topic.set(key, value);
        }
        let admin: AdminClient<DefaultClientContext> =
            self.admin_config().create().expect("admin client");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let options = AdminOptions::new().operation_timeout(Some(Duration::from_secs(30)));
        let results = runtime
            .block_on(admin.create_topics([&topic], &options))
            .expect("CreateTopics");
        for result in results {
            if let Err((topic, code)) = result {
                panic!("creating topic {topic} failed: {code}");
            }
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        while (0..partitions).any(|p| self.leader(name, p) < 0) {
            assert!(
                Instant::now() < deadline,
                "topic {name} has partitions without a leader"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A new cluster id: 16 random bytes in URL-safe base64 without padding, as Kafka's `Uuid`
/// writes them (the randomness of the standard library's hasher keys is enough for a test).
fn cluster_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut bytes = Vec::with_capacity(16);
    for _ in 0..2 {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos(),
        );
        bytes.extend(hasher.finish().to_be_bytes());
    }
    // A leading '-' would read as a command-line flag; Kafka's own generator avoids it too.
    bytes[0] &= 0x7f;
    base64_url(&bytes)
}

/// URL-safe base64 without padding.
fn base64_url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// The last `lines` lines of `text`.
fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
