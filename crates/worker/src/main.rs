//! The `newsworker` command line: the service (`run`), backfills (`replay`), files and stdin
//! without Kafka (`process`), the whole path on an embedded broker (`demo`), the records'
//! schema (`schema`), and the container health probe (`healthcheck`). Evaluations, benchmarks and training live in `newsworker-dev`.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::{Parser, Subcommand};
use newsworker_extract::contract::avro::{AvroSchema, ContainerWriter};
use newsworker_extract::contract::record::{
    PayloadFormat, RecordEncoding, ReplayMarker, JSON_SCHEMA,
};
use newsworker_extract::{Extractor, Outcome};

use newsworker::config::{Config, Guarantee, OutputFormat};
use newsworker::demo;
use newsworker::ops::http;
use newsworker::service::setup::Operations;
use newsworker::service::{at_least_once, exactly_once, replay};
use newsworker::sinks::schema_registry;
use newsworker::sinks::stdout::StdoutSink;
use newsworker::sources::file;

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
    /// Serve the extraction over HTTP: POST /v1/extract, the inspector page at /, /openapi.json.
    Serve {
        /// Address to listen on; defaults to serve.listen.
        #[arg(long)]
        listen: Option<std::net::SocketAddr>,
    },
    /// Process articles from a file or stdin (JSON Lines envelopes, or one plain-text article).
    Process {
        /// Input file; `-` or nothing reads standard input.
        input: Option<PathBuf>,
        /// Output format: `json` (JSON Lines), `avro` (an Avro object container file, schema
        /// inside) or `json_schema` (JSON Lines, as the registry format's payload); defaults to
        /// output.format.
        #[arg(long, value_enum)]
        format: Option<OutputFormat>,
    },
    /// Print the records' schema, as a Schema Registry is given it, or the HTTP API's.
    Schema {
        /// `json_schema` (schema/record.schema.json), `avro` (schema/record.avsc) or `openapi`
        /// (schema/openapi.json: `newsworker serve`'s API, the record schema inside).
        #[arg(long, value_enum, default_value = "avro")]
        format: SchemaFormat,
    },
    /// Run the whole path against an embedded Kafka cluster and print what comes out.
    Demo {
        /// Print every record as a JSON line instead of a summary.
        #[arg(long)]
        json: bool,
    },
    /// Re-process a bounded slice of the input topic's history (a backfill).
    Replay(ReplayArgs),
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

/// The schemas `newsworker schema` prints.
#[derive(Clone, Copy, clap::ValueEnum)]
enum SchemaFormat {
    /// The record's Avro schema.
    Avro,
    /// The record's JSON Schema.
    #[value(name = "json_schema")]
    JsonSchema,
    /// The HTTP API's OpenAPI 3.1 document.
    Openapi,
}

#[derive(clap::Args)]
struct ReplayArgs {
    /// The replay's name: its consumer group is derived from it, and re-running a replay with
    /// the same name resumes where it stopped.
    #[arg(long)]
    name: String,
    /// Start: an RFC 3339 time, `earliest`, or partition:offset pairs (`0:120,1:98`).
    #[arg(long, default_value = "earliest")]
    from: replay::Start,
    /// End: an RFC 3339 time (exclusive); by default the end offsets when the replay starts.
    #[arg(long)]
    to: Option<chrono::DateTime<chrono::Utc>>,
    /// Topic to write records to; defaults to kafka.output_topic.
    #[arg(long)]
    output: Option<String>,
    /// Consumer group for the replay's own offsets; defaults to newsworker-replay-NAME.
    #[arg(long)]
    group: Option<String>,
    /// Topic to replay; defaults to kafka.input_topic.
    #[arg(long)]
    topic: Option<String>,
    /// Serve /metrics (with mode="replay") on this address while the replay runs.
    #[arg(long)]
    metrics_listen: Option<std::net::SocketAddr>,
    /// Print the plan (partitions, start and end offsets, message counts) and exit.
    #[arg(long)]
    dry_run: bool,
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
        Command::Run => runtime.block_on(run_worker(config))?,
        Command::Serve { listen } => {
            let listen = listen.unwrap_or(config.serve.listen);
            runtime.block_on(newsworker::serve::run(&config, listen))?
        }
        Command::Process { input, format } => {
            return process(&config, input, format.unwrap_or(config.output.format))
        }
        Command::Schema { format } => print_schema(format),
        Command::Demo { json } => {
            runtime.block_on(demo::run(config, demo::DemoOptions { json }))?
        }
        Command::Replay(args) => runtime.block_on(backfill(config, args))?,
        Command::Healthcheck { addr, path } => {
            let addr = addr.unwrap_or(config.metrics.listen);
            runtime.block_on(http::probe(addr, &path))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `newsworker run`: the metrics endpoint and the worker, until a signal or a fatal error.
async fn run_worker(config: Config) -> anyhow::Result<()> {
    let operations = Operations::start("live", Some(config.metrics.listen)).await?;
    exit_if_the_stop_hangs(&config, &operations);
    let encoding = settle_encoding(&config, &config.kafka.output_topic).await?;
    let make_extractor = || {
        Ok(Arc::new(
            Extractor::new(&config.extract())?.with_encoding(encoding.clone()),
        ))
    };
    let result = match config.processing.guarantee {
        Guarantee::AtLeastOnce => {
            at_least_once::run(
                &config,
                &operations,
                make_extractor,
                at_least_once::Intake::Live,
            )
            .await
        }
        Guarantee::ExactlyOnce => exactly_once::run(&config, &operations, make_extractor).await,
    };
    operations.shutdown.trigger();
    result
}

/// Time a stop may take beyond the drain: the final commit, the producer's flush (5 s), the
/// consumer's close (10 s), and slack for a loaded machine.
const STOP_SLACK: Duration = Duration::from_secs(30);

/// Exits with status 1 when a stop takes longer than `worker.drain_timeout_secs` plus
/// [`STOP_SLACK`]: whatever was acknowledged is committed by then, and what is not is read again.
fn exit_if_the_stop_hangs(config: &Config, operations: &Operations) {
    let limit = Duration::from_secs(config.worker.drain_timeout_secs) + STOP_SLACK;
    operations
        .shutdown
        .on_overrun(limit, || std::process::exit(1));
}

/// `newsworker replay`: plan, then run the worker loop over the plan until it is done.
async fn backfill(config: Config, args: ReplayArgs) -> anyhow::Result<()> {
    let topic = args
        .topic
        .unwrap_or_else(|| config.kafka.input_topic.clone());
    let group = args
        .group
        .unwrap_or_else(|| replay::default_group(&args.name));
    let plan = {
        let (config, from, to) = (config.clone(), args.from.clone(), args.to);
        tokio::task::spawn_blocking(move || replay::plan(&config, &topic, &group, &from, to))
            .await??
    };
    if args.dry_run {
        println!("{plan}");
        return Ok(());
    }
    eprintln!("{plan}");
    let marker = ReplayMarker {
        name: args.name.clone(),
        started_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
    };
    let (output_topic, output_setting) = match args.output {
        Some(topic) => (topic, "--output"),
        None => (config.kafka.output_topic.clone(), "kafka.output_topic"),
    };
    let encoding = settle_encoding(&config, &output_topic).await?;
    let operations = Operations::start("replay", args.metrics_listen).await?;
    exit_if_the_stop_hangs(&config, &operations);
    let make_extractor = || {
        Ok(Arc::new(
            Extractor::new(&config.extract())?
                .for_replay(marker)
                .with_encoding(encoding.clone()),
        ))
    };
    let progress = Arc::new(replay::Progress::new(plan));
    let intake = at_least_once::Intake::Replay {
        progress: progress.clone(),
        output_topic: output_topic.clone(),
        output_setting,
    };
    let result = at_least_once::run(&config, &operations, make_extractor, intake).await;
    operations.shutdown.trigger();
    progress.finish();
    result?;
    eprintln!("{}", progress.summary(&args.name, &output_topic));
    Ok(())
}

/// Settles the records' encoding for `output_topic` (with the Schema Registry, for its
/// formats) before anything else starts, so a registry problem stops the run at once.
async fn settle_encoding(config: &Config, output_topic: &str) -> anyhow::Result<RecordEncoding> {
    let (config, topic) = (config.clone(), output_topic.to_owned());
    tokio::task::spawn_blocking(move || schema_registry::record_encoding(&config, &topic)).await?
}

/// `newsworker schema`: the schema `format` names on standard output.
fn print_schema(format: SchemaFormat) {
    match format {
        SchemaFormat::Avro => println!("{}", AvroSchema::record().text()),
        SchemaFormat::JsonSchema => print!("{JSON_SCHEMA}"),
        SchemaFormat::Openapi => print!("{}", newsworker::serve::openapi::text()),
    }
}

/// `newsworker process`: records to stdout (JSON Lines, or an Avro container file), failures to
/// stderr, exit 1 if any input failed.
fn process(
    config: &Config,
    input: Option<PathBuf>,
    format: OutputFormat,
) -> anyhow::Result<ExitCode> {
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
    let avro = format == OutputFormat::Avro;
    let encoding = RecordEncoding {
        format: if avro {
            PayloadFormat::Avro
        } else {
            PayloadFormat::Json
        },
        prefix: Vec::new(),
    };
    let extractor = Extractor::new(&config.extract())?.with_encoding(encoding);
    let mut container = avro
        .then(|| ContainerWriter::new(Vec::new(), AvroSchema::record()))
        .transpose()?;
    let mut sink = StdoutSink::new(std::io::stdout().lock(), std::io::stderr().lock());
    let mut contained = 0;
    for input in file::inputs(&bytes) {
        match (extractor.extract(None, input.value, None), &mut container) {
            (Outcome::Record(processed), Some(container)) => {
                container.append(&processed.bytes)?;
                contained += 1;
            }
            (Outcome::Record(processed), None) => sink.record(&processed.bytes)?,
            (Outcome::Failed(failure), _) => sink.failure(&source, input.line, &failure)?,
        }
    }
    if let Some(container) = container {
        sink.raw(&container.finish()?, contained)?;
    }
    sink.flush()?;
    Ok(if sink.failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
