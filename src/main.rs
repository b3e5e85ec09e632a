//! The `newsworker` command line.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};

use newsworker::config::{Config, Guarantee};
use newsworker::handler::{Handler, Outcome};
use newsworker::http::{self, Health};
use newsworker::metrics::Metrics;
use newsworker::pipeline::Pipeline;
use newsworker::shutdown::Shutdown;
use newsworker::sinks::stdout::StdoutSink;
use newsworker::sources::file;
use newsworker::{demo, replay, transactional, worker};

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
    /// Re-process a bounded slice of the input topic's history (a backfill).
    Replay(ReplayArgs),
    /// Measure in-process pipeline throughput on a corpus of envelopes (JSON Lines).
    Bench {
        /// The corpus.
        #[arg(default_value = "../shared/data/bbc/articles.jsonl")]
        corpus: PathBuf,
        /// Thread counts to measure; defaults to 1 and the number of cores.
        #[arg(long, value_delimiter = ',')]
        threads: Vec<usize>,
        /// Also measure HTML envelopes: the article-extraction pages (html/*.html.gz) under
        /// this directory, through the whole pipeline on one core.
        #[arg(long)]
        html: Option<PathBuf>,
        /// Also run the corpus end to end through the worker and this Kafka broker
        /// (`host:port`; `scripts/bench.sh` starts a local one), on fresh topics.
        #[arg(long)]
        broker: Option<String>,
        /// Partitions of the end-to-end pass's input topic.
        #[arg(long, default_value_t = 4)]
        partitions: i32,
    },
    /// Train a model (reproduces the committed weights).
    Train {
        #[command(subcommand)]
        target: TrainTarget,
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

#[derive(Subcommand)]
enum TrainTarget {
    /// The NER model, from CoNLL-2003 files; settings in models/ner/train.toml.
    Ner {
        /// Training data (CoNLL format).
        #[arg(long)]
        train: PathBuf,
        /// Development data, for the score printed at the end.
        #[arg(long)]
        dev: PathBuf,
        /// Where to write the model.
        #[arg(long, default_value = "models/ner/model.bin")]
        out: PathBuf,
        /// Training settings.
        #[arg(long, default_value = "models/ner/train.toml")]
        settings: PathBuf,
    },
}

#[derive(Subcommand)]
enum EvalTarget {
    /// CoNLL-2003 NER: conlleval-style precision, recall and F1 per type (exact span match).
    Ner {
        /// A CoNLL file (token POS chunk NER); only the token and NER columns are read.
        file: PathBuf,
        /// The model to evaluate.
        #[arg(long, default_value = "models/ner/model.bin")]
        model: PathBuf,
    },
    /// The article-extraction benchmark: body F1 over the dev pages, title and date coverage.
    Html {
        /// The article-extraction directory (ground-truth.json and html/).
        dir: PathBuf,
    },
    /// PolNeAR direct quotes: span precision/recall/F1 and speaker accuracy.
    Quotes {
        /// The PolNeAR split directory (text/ and attributions/).
        dir: PathBuf,
    },
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
        Command::Replay(args) => {
            runtime.block_on(replay(config, args))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench {
            corpus,
            threads,
            html,
            broker,
            partitions,
        } => {
            let end_to_end = broker.map(|brokers| (brokers, partitions));
            bench(
                &runtime,
                config,
                &corpus,
                threads,
                html.as_deref(),
                end_to_end,
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Train {
            target:
                TrainTarget::Ner {
                    train,
                    dev,
                    out,
                    settings,
                },
        } => {
            let settings = newsworker::ner::TrainSettings::read(&settings)?;
            let model = newsworker::ner::train(&settings, &train, &dev)?;
            model.save(&out)?;
            println!("{}", newsworker::ner::evaluate(&model, &dev)?);
            println!("model written to {}", out.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval { target } => {
            match target {
                EvalTarget::Ner { file, model } => {
                    let model = newsworker::ner::NerModel::load(&model)?;
                    println!("{}", newsworker::ner::evaluate(&model, &file)?);
                }
                EvalTarget::Dates { dir } => {
                    println!("{}", newsworker::eval::dates::evaluate(&dir)?)
                }
                EvalTarget::Quotes { dir } => {
                    let handler = Handler::new(Pipeline::standard(&config)?, config.limits.clone());
                    println!("{}", newsworker::eval::quotes::evaluate(&dir, &handler)?)
                }
                EvalTarget::Html { dir } => {
                    println!("{}", newsworker::eval::html::evaluate(&dir)?)
                }
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
    let make_handler = || -> anyhow::Result<Arc<Handler>> {
        Ok(Arc::new(Handler::new(
            Pipeline::standard(&config)?,
            config.limits.clone(),
        )))
    };
    let result = match config.processing.guarantee {
        Guarantee::AtLeastOnce => {
            worker::run(
                &config,
                make_handler,
                metrics,
                health,
                shutdown.clone(),
                worker::Intake::Live,
            )
            .await
        }
        Guarantee::ExactlyOnce => {
            transactional::run(&config, make_handler, metrics, health, shutdown.clone()).await
        }
    };
    shutdown.trigger();
    result
}

/// `newsworker replay`: plan, then run the worker loop over the plan until it is done.
async fn replay(config: Config, args: ReplayArgs) -> anyhow::Result<()> {
    let topic = args
        .topic
        .unwrap_or_else(|| config.kafka.input_topic.clone());
    let group = args
        .group
        .unwrap_or_else(|| replay::default_group(&args.name));
    let plan = {
        let (config, topic, group, from) = (
            config.clone(),
            topic.clone(),
            group.clone(),
            args.from.clone(),
        );
        tokio::task::spawn_blocking(move || replay::plan(&config, &topic, &group, &from, args.to))
            .await??
    };
    if args.dry_run {
        println!("{plan}");
        return Ok(());
    }
    eprintln!("{plan}");
    let marker = replay::ReplayMarker {
        name: args.name.clone(),
        started_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
    };
    let metrics = Arc::new(Metrics::new("replay"));
    let health = Arc::new(Health::default());
    let shutdown = Shutdown::new();
    shutdown.trigger_on_signals();
    if let Some(addr) = args.metrics_listen {
        let listener = http::bind(addr).await?;
        tokio::spawn(http::serve(
            listener,
            metrics.clone(),
            health.clone(),
            shutdown.clone(),
        ));
    }
    let make_handler = || -> anyhow::Result<Arc<Handler>> {
        Ok(Arc::new(
            Handler::new(Pipeline::standard(&config)?, config.limits.clone()).for_replay(marker),
        ))
    };
    let progress = Arc::new(replay::Progress::new(plan));
    let output_setting = match args.output {
        Some(_) => "--output",
        None => "kafka.output_topic",
    };
    let output_topic = args
        .output
        .unwrap_or_else(|| config.kafka.output_topic.clone());
    let intake = worker::Intake::Replay {
        progress: progress.clone(),
        output_topic: output_topic.clone(),
        output_setting,
    };
    let result = worker::run(
        &config,
        make_handler,
        metrics,
        health,
        shutdown.clone(),
        intake,
    )
    .await;
    shutdown.trigger();
    progress.finish();
    result?;
    if progress.is_complete() {
        eprintln!(
            "replay `{}` complete: {} articles re-processed into `{output_topic}`",
            args.name,
            progress.processed()
        );
    } else {
        eprintln!(
            "replay `{}` interrupted after {} of {} articles; run it again with --name {} to resume",
            args.name,
            progress.processed(),
            progress.plan().total(),
            args.name
        );
    }
    Ok(())
}

/// `newsworker bench`: a warm-up pass, then one measured pass per thread count.
fn bench(
    runtime: &tokio::runtime::Runtime,
    mut config: Config,
    corpus: &std::path::Path,
    threads: Vec<usize>,
    html: Option<&std::path::Path>,
    end_to_end: Option<(String, i32)>,
) -> anyhow::Result<()> {
    let bytes =
        std::fs::read(corpus).with_context(|| format!("cannot read {}", corpus.display()))?;
    let inputs: Vec<Vec<u8>> = file::inputs(&bytes)
        .into_iter()
        .map(|i| i.value.to_vec())
        .collect();
    let started = std::time::Instant::now();
    let handler = Arc::new(Handler::new(
        Pipeline::standard(&config)?,
        config.limits.clone(),
    ));
    let startup = started.elapsed();
    let threads = if threads.is_empty() {
        let all = std::thread::available_parallelism().map_or(1, |n| n.get());
        if all > 1 {
            vec![1, all]
        } else {
            vec![1]
        }
    } else {
        threads
    };
    newsworker::bench::run_pass(&handler, &inputs, 1);
    let passes: Vec<_> = threads
        .iter()
        .map(|&n| newsworker::bench::run_pass(&handler, &inputs, n))
        .collect();
    print!(
        "{}",
        newsworker::bench::report(&corpus.display().to_string(), startup, &passes)
    );
    if let Some((brokers, partitions)) = end_to_end {
        config.kafka.brokers = brokers;
        let e2e = runtime.block_on(newsworker::bench::broker::run(
            &config,
            handler.clone(),
            &inputs,
            partitions,
        ))?;
        print!("{}", newsworker::bench::report_end_to_end(&e2e, &passes));
    }
    if let Some(dir) = html {
        let mut pages = Vec::new();
        let listing = std::fs::read_dir(dir.join("html"))
            .with_context(|| format!("cannot read {}/html", dir.display()))?;
        for entry in listing {
            let page = newsworker::eval::html::read_page(&entry?.path())?;
            pages.push(serde_json::to_vec(&serde_json::json!({ "html": page }))?);
        }
        let pass = newsworker::bench::run_pass(&handler, &pages, 1);
        let extraction = pass
            .stage_time
            .iter()
            .find(|(s, _)| *s == "html")
            .map_or(0.0, |(_, t)| t.as_secs_f64());
        println!(
            "\nHTML envelopes ({} pages, one core): {:.0} pages/s through the whole pipeline, \
             {:.0} pages/s for HTML extraction alone; {} dead letters",
            pass.articles,
            pass.articles_per_sec(),
            pass.articles as f64 / extraction.max(1e-9),
            pass.failures
        );
    }
    Ok(())
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
