//! `newsworker-dev`: the developers' and CI's tools, never shipped in the container image —
//! evaluations against the shared annotated data, benchmarks, and training the NER model.
//!
//! ```sh
//! newsworker-dev eval ner ../shared/data/conll2003/dev.txt --train ../shared/data/conll2003/train.txt
//! newsworker-dev eval ner ../shared/data/ner-extra/uner-en-pud.iob2 --train ../shared/data/conll2003/train.txt
//! newsworker-dev eval dates ../shared/data/tempeval3/TBAQ-cleaned
//! newsworker-dev eval html ../shared/data/article-extraction
//! newsworker-dev eval quotes ../shared/data/polnear/dev --bbc ../shared/data/bbc/articles.jsonl
//! newsworker-dev eval geo ../shared/data/geo/tr-news.xml
//! newsworker-dev train ner --train ../shared/data/conll2003/train.txt --dev ../shared/data/conll2003/dev.txt
//! newsworker-dev bench ../shared/data/bbc/articles.jsonl --html ../shared/data/article-extraction
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use newsworker::config::{Config, OutputFormat};
use newsworker::sinks::schema_registry::wire_prefix;
use newsworker::sources::file;
use newsworker_devtools::{bench, eval};
use newsworker_extract::contract::record::{PayloadFormat, RecordEncoding};
use newsworker_extract::ner::{NerModel, TrainSettings};
use newsworker_extract::Extractor;

/// Where the NER model and its training settings live in the repository.
const MODEL: &str = "crates/extract/models/ner/model.bin";
const TRAIN_SETTINGS: &str = "crates/extract/models/ner/train.toml";

#[derive(Parser)]
#[command(
    name = "newsworker-dev",
    version,
    about = "newsworker's evaluations, benchmarks and training."
)]
struct Cli {
    /// Configuration file (TOML), as for `newsworker`; defaults are built in.
    #[arg(long, short, global = true, env = "NEWSWORKER_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Measure in-process pipeline throughput on a corpus of envelopes (JSON Lines).
    Bench(BenchArgs),
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
}

#[derive(clap::Args)]
struct BenchArgs {
    /// The corpus (JSON Lines envelopes).
    corpus: PathBuf,
    /// Thread counts to measure; defaults to 1 and the number of cores.
    #[arg(long, value_delimiter = ',')]
    threads: Vec<usize>,
    /// The records' format: `json`, or a registry format (`avro`, `json_schema`) written with
    /// its wire header and a fixed schema id, as the worker writes it once the registry answered;
    /// the report's `record` step is the making and encoding of the record.
    #[arg(long, value_enum, default_value = "json")]
    format: OutputFormat,
    /// Also measure HTML envelopes: the article-extraction pages (html/*.html.gz) under this
    /// directory, through the whole pipeline on one core.
    #[arg(long)]
    html: Option<PathBuf>,
    /// Also run the corpus end to end through the worker and this Kafka broker (`host:port`;
    /// `scripts/bench.sh` starts a local one), on fresh topics.
    #[arg(long)]
    broker: Option<String>,
    /// Also run the corpus over HTTP: `newsworker serve` on loopback, under wrk for this many
    /// seconds per round, on the last thread count (`--rounds` rounds).
    #[arg(long)]
    serve: Option<u64>,
    /// Partitions of the end-to-end pass's input topic.
    #[arg(long, default_value_t = 4)]
    partitions: i32,
    /// End-to-end passes, each between two in-process passes (the report gives their median).
    #[arg(long, default_value_t = 3)]
    rounds: usize,
}

#[derive(Subcommand)]
enum TrainTarget {
    /// The NER model, from CoNLL-2003 files; settings in crates/extract/models/ner/train.toml.
    Ner {
        /// Training data (CoNLL format).
        #[arg(long)]
        train: PathBuf,
        /// Development data, for the score printed at the end.
        #[arg(long)]
        dev: PathBuf,
        /// Where to write the model.
        #[arg(long, default_value = MODEL)]
        out: PathBuf,
        /// Training settings.
        #[arg(long, default_value = TRAIN_SETTINGS)]
        settings: PathBuf,
    },
}

#[derive(Subcommand)]
enum EvalTarget {
    /// NER: conlleval-style precision, recall and F1 per type (exact span match).
    Ner {
        /// A CoNLL file (token POS chunk NER; only the token and NER columns are read), or a
        /// Universal NER `.iob2` file, scored on PER/ORG/LOC with MISC predictions dropped.
        file: PathBuf,
        /// The model to evaluate; the built-in one by default.
        #[arg(long)]
        model: Option<PathBuf>,
        /// The training file: adds the scores on the names it never holds as an entity
        /// ("unseen names"), the slice that predicts unseen news.
        #[arg(long)]
        train: Option<PathBuf>,
    },
    /// The article-extraction benchmark: body F1 over the dev pages, title and date coverage.
    Html {
        /// The article-extraction directory (ground-truth.json and html/).
        dir: PathBuf,
    },
    /// PolNeAR quotes: direct quotes and every attribution, spans and speakers (by `via`, with
    /// the commonest errors).
    Quotes {
        /// The PolNeAR split directory (text/ and attributions/).
        dir: PathBuf,
        /// The BBC corpus (JSON Lines): adds the hand-judged precision of reported speech on
        /// its fixed sample.
        #[arg(long)]
        bbc: Option<PathBuf>,
        /// The judgments of the BBC sample.
        #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/data/quotes-bbc-judged.tsv"))]
        judged: PathBuf,
        /// Writes the sampled BBC quotes no judgment matches to this file, for judging.
        #[arg(long)]
        unjudged: Option<PathBuf>,
        /// Writes every PolNeAR error (missed content, wrong speaker, spurious prediction) to
        /// this file, one tab-separated line each, for error analysis.
        #[arg(long)]
        errors: Option<PathBuf>,
    },
    /// TR-News toponyms: share found, accuracy within 161 km, median error, confusions.
    Geo {
        /// The TR-News XML file.
        file: PathBuf,
    },
    /// TempEval-3 TIMEX3 DATE expressions: span F1 and value accuracy.
    Dates {
        /// The TBAQ-cleaned directory (TimeBank/ and AQUAINT/ .tml files).
        dir: PathBuf,
        /// Writes every value error (missed, wrong value, spurious) to this file, one
        /// tab-separated line each, for error analysis.
        #[arg(long)]
        errors: Option<PathBuf>,
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
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let config = Config::load(cli.config.as_deref())?;
    match cli.command {
        Command::Bench(args) => bench(config, args),
        Command::Train {
            target:
                TrainTarget::Ner {
                    train,
                    dev,
                    out,
                    settings,
                },
        } => {
            let settings = TrainSettings::read(&settings)?;
            let model = newsworker_extract::ner::train(&settings, &train, &dev)?;
            model.save(&out)?;
            let report = newsworker_extract::ner::evaluate(&model, &dev, Some(&train))?;
            println!("{report}");
            println!("model written to {}", out.display());
            Ok(())
        }
        Command::Eval { target } => evaluate(&config, target),
    }
}

/// `newsworker-dev eval …`: prints the report of one evaluation.
fn evaluate(config: &Config, target: EvalTarget) -> anyhow::Result<()> {
    match target {
        EvalTarget::Ner { file, model, train } => {
            let model = match model {
                Some(path) => NerModel::load(&path)?,
                None => NerModel::built_in()?,
            };
            let report = newsworker_extract::ner::evaluate(&model, &file, train.as_deref())?;
            println!("{report}");
        }
        EvalTarget::Dates { dir, errors } => {
            println!("{}", eval::dates::evaluate(&dir)?);
            if let Some(out) = errors {
                eval::dates::write_errors(&dir, &out)?;
            }
        }
        EvalTarget::Quotes {
            dir,
            bbc,
            judged,
            unjudged,
            errors,
        } => {
            let extractor = Extractor::new(&config.extract())?;
            let report = eval::quotes::evaluate(&dir, &extractor)?;
            println!("{report}");
            if let Some(out) = errors {
                eval::quotes::write_errors(&report, &out)?;
            }
            if let Some(bbc) = bbc {
                let report = eval::quotes::bbc::evaluate(&bbc, &judged, &extractor)?;
                println!("\n{report}");
                if let Some(out) = unjudged {
                    eval::quotes::bbc::write_unjudged(&report, &out)?;
                }
            }
        }
        EvalTarget::Html { dir } => println!("{}", eval::html::evaluate(&dir)?),
        EvalTarget::Geo { file } => {
            let extractor = Extractor::new(&config.extract())?;
            println!("{}", eval::geo::evaluate(&file, &extractor)?)
        }
    }
    Ok(())
}

/// `newsworker-dev bench`: a warm-up pass, then one measured pass per thread count; then the
/// optional end-to-end and HTML passes.
fn bench(mut config: Config, args: BenchArgs) -> anyhow::Result<()> {
    let bytes = std::fs::read(&args.corpus)
        .with_context(|| format!("cannot read {}", args.corpus.display()))?;
    let inputs: Vec<Vec<u8>> = file::inputs(&bytes)
        .into_iter()
        .map(|i| i.value.to_vec())
        .collect();
    let started = std::time::Instant::now();
    let encoding = match args.format {
        OutputFormat::Json => RecordEncoding::default(),
        OutputFormat::JsonSchema => RecordEncoding {
            format: PayloadFormat::Json,
            prefix: wire_prefix(1),
        },
        OutputFormat::Avro => RecordEncoding {
            format: PayloadFormat::Avro,
            prefix: wire_prefix(1),
        },
    };
    let extractor = Arc::new(Extractor::new(&config.extract())?.with_encoding(encoding));
    let startup = started.elapsed();
    let threads = if args.threads.is_empty() {
        let all = std::thread::available_parallelism().map_or(1, |n| n.get());
        if all > 1 {
            vec![1, all]
        } else {
            vec![1]
        }
    } else {
        args.threads
    };
    bench::run_pass(&extractor, &inputs, 1);
    let passes: Vec<_> = threads
        .iter()
        .map(|&n| bench::run_pass(&extractor, &inputs, n))
        .collect();
    print!(
        "{}",
        bench::report(&args.corpus.display().to_string(), startup, &passes)
    );
    if let Some(brokers) = args.broker {
        config.kafka.brokers = brokers;
        let comparison = bench::broker::compare(
            &config,
            extractor.clone(),
            &inputs,
            args.partitions,
            args.rounds,
            passes.last(),
        )?;
        print!("{}", comparison.report());
    }
    if let Some(seconds) = args.serve {
        let threads = passes.last().map_or(1, |p| p.threads);
        let comparison = bench::http::compare(
            &config,
            extractor.clone(),
            &args.corpus,
            &inputs,
            threads,
            args.rounds,
            seconds,
        )?;
        print!("{}", comparison.report());
    }
    if let Some(dir) = args.html {
        bench_html(&extractor, &dir)?;
    }
    Ok(())
}

/// The HTML pages of the article-extraction set as envelopes, through the whole pipeline.
fn bench_html(extractor: &Extractor, dir: &Path) -> anyhow::Result<()> {
    let mut pages = Vec::new();
    let listing = std::fs::read_dir(dir.join("html"))
        .with_context(|| format!("cannot read {}/html", dir.display()))?;
    for entry in listing {
        let page = eval::html::read_page(&entry?.path())?;
        pages.push(serde_json::to_vec(&serde_json::json!({ "html": page }))?);
    }
    let pass = bench::run_pass(extractor, &pages, 1);
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
    Ok(())
}
