//! The `newsworker` command line.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};

use newsworker::config::Config;
use newsworker::handler::{Handler, Outcome};
use newsworker::http::{self, Health};
use newsworker::metrics::Metrics;
use newsworker::pipeline::Pipeline;
use newsworker::shutdown::Shutdown;
use newsworker::sinks::stdout::StdoutSink;
use newsworker::sources::file;
use newsworker::{demo, worker};

#[derive(Parser)]
#[command(
    name = "newsworker",
    version,
    about = "Turns a Kafka stream of raw news articles into structured records."
)]
struct Cli {
    /// Configuration file (TOML); defaults are built in, see config/default.toml.
    #[arg(long, short, global = true, env = "NEWSWORKER_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the streaming worker: consume raw articles, publish records and dead letters.
    Run,
    /// Process articles from a file or stdin (JSON Lines envelopes, or one plain-text article).
    Process {
        /// Input file; `-` or nothing reads standard input.
        input: Option<PathBuf>,
    },
    /// Run the whole path against an embedded Kafka cluster and print what comes out.
    Demo {
        /// Print every record as a JSON line instead of a summary.
        #[arg(long)]
        json: bool,
    },
    /// Score a stage against an annotated data set (see ../shared/data/README.md).
    Eval {
        #[command(subcommand)]
        target: EvalTarget,
    },
    /// Exit 0 when the worker's health endpoint answers 200 (for container health checks).
    Healthcheck {
        /// Address of the metrics server; defaults to metrics.listen.
        #[arg(long)]
        addr: Option<std::net::SocketAddr>,
        /// Path to probe.
        #[arg(long, default_value = "/healthz")]
        path: String,
    },
}

#[derive(Subcommand)]
enum EvalTarget {
    /// TempEval-3 TIMEX3 DATE expressions: span F1 and value accuracy.
    Dates {
        /// The TBAQ-cleaned directory (TimeBank/ and AQUAINT/ .tml files).
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,rdkafka=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = Config::load(cli.config.as_deref())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    match cli.command {
        Command::Run => {
            runtime.block_on(serve(config))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Process { input } => process(&config, input),
        Command::Demo { json } => {
            runtime.block_on(demo::run(config, demo::DemoOptions { json }))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval { target } => {
            match target {
                EvalTarget::Dates { dir } => println!("{}", newsworker::eval::dates::evaluate(&dir)?),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Healthcheck { addr, path } => {
            let addr = addr.unwrap_or(config.metrics.listen);
            runtime.block_on(http::probe(addr, &path))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `newsworker run`: the metrics endpoint and the worker, until a signal or a fatal error.
async fn serve(config: Config) -> anyhow::Result<()> {
    let metrics = Arc::new(Metrics::new("live"));
    let health = Arc::new(Health::default());
    let shutdown = Shutdown::new();
    shutdown.trigger_on_signals();
    let listener = http::bind(config.metrics.listen).await?;
    tracing::info!(addr = %config.metrics.listen, "serving /metrics, /healthz, /readyz");
    tokio::spawn(http::serve(
        listener,
        metrics.clone(),
        health.clone(),
        shutdown.clone(),
    ));
    let handler = Arc::new(Handler::new(
        Pipeline::standard(&config)?,
        config.limits.clone(),
    ));
    let result = worker::run(&config, handler, metrics, health, shutdown.clone()).await;
    shutdown.trigger();
    result
}

/// `newsworker process`: records to stdout, failures to stderr, exit 1 if any input failed.
fn process(config: &Config, input: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let (source, bytes) = match input.filter(|p| p.as_os_str() != "-") {
        Some(path) => {
            let bytes =
                std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            (path.display().to_string(), bytes)
        }
        None => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .context("cannot read standard input")?;
            ("<stdin>".to_owned(), bytes)
        }
    };
    let handler = Handler::new(Pipeline::standard(config)?, config.limits.clone());
    let mut sink = StdoutSink::new(std::io::stdout().lock(), std::io::stderr().lock());
    for input in file::inputs(&bytes) {
        match handler.handle(None, input.value, None) {
            Outcome::Record(processed) => sink.record(&processed.json)?,
            Outcome::Failed(failure) => sink.failure(&source, input.line, &failure)?,
        }
    }
    sink.flush()?;
    Ok(if sink.failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
