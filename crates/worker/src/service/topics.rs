//! The topics a run reads and writes, checked once at start-up.
//!
//! A worker started against a topic that does not exist would otherwise wait or retry
//! `UnknownTopicOrPartition` for as long as it runs: a consumer subscribed to a missing input
//! topic reads nothing, and a producer writing to a missing output topic retries every send
//! until the drain deadline. So every run first lists the cluster's topics (a metadata request
//! for all topics, which never creates one on a broker with `auto.create.topics.enable`) and
//! stops at once, naming each missing topic and the command that creates it.

use std::collections::HashSet;

/// A topic the run needs, and the setting that names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TopicUse<'a> {
    /// The topic's name.
    pub name: &'a str,
    /// Where the name comes from, for the message (`kafka.output_topic`, `--output`, …).
    pub setting: &'a str,
    /// Whether the topic should be compacted (records keyed by article id).
    pub compacted: bool,
}

impl<'a> TopicUse<'a> {
    /// The topic of raw articles.
    pub fn input(name: &'a str, setting: &'a str) -> Self {
        TopicUse {
            name,
            setting,
            compacted: false,
        }
    }

    /// A topic of records: compacted, so it keeps the last record of each article.
    pub fn records(name: &'a str, setting: &'a str) -> Self {
        TopicUse {
            name,
            setting,
            compacted: true,
        }
    }

    /// The dead-letter topic.
    pub fn dead_letters(name: &'a str, setting: &'a str) -> Self {
        TopicUse {
            name,
            setting,
            compacted: false,
        }
    }
}

/// Checks that every topic of `needed` is among `existing`; the error names each missing one
/// with the command that creates it on the cluster at `brokers`.
pub fn check<'e>(
    needed: &[TopicUse<'_>],
    existing: impl IntoIterator<Item = &'e str>,
    brokers: &str,
) -> anyhow::Result<()> {
    let existing: HashSet<&str> = existing.into_iter().collect();
    let mut missing: Vec<&TopicUse<'_>> = Vec::new();
    for topic in needed {
        if !existing.contains(topic.name) && !missing.iter().any(|m| m.name == topic.name) {
            missing.push(topic);
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    let mut message = String::new();
    for topic in &missing {
        message.push_str(&format!(
            "topic `{}` ({}) does not exist on the cluster at {brokers}; create it, e.g.\n    \
             kafka-topics.sh --bootstrap-server {brokers} --create --topic {} --partitions 6{}\n",
            topic.name,
            topic.setting,
            topic.name,
            if topic.compacted {
                " --config cleanup.policy=compact"
            } else {
                ""
            }
        ));
    }
    message.push_str(
        "(records topics are compacted so that each keeps the last record of every article; \
         give the input topic as many partitions as workers you mean to run)",
    );
    anyhow::bail!(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needed() -> Vec<TopicUse<'static>> {
        vec![
            TopicUse::input("raw", "kafka.input_topic"),
            TopicUse::records("records", "kafka.output_topic"),
            TopicUse::dead_letters("dlq", "kafka.dlq_topic"),
        ]
    }

    #[test]
    fn all_present_is_fine() {
        assert!(check(&needed(), ["dlq", "raw", "records", "other"], "b:9092").is_ok());
    }

    #[test]
    fn a_missing_topic_is_named_with_its_setting_and_how_to_create_it() {
        let e = check(&needed(), ["raw", "dlq"], "b:9092")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("topic `records` (kafka.output_topic) does not exist"),
            "{e}"
        );
        assert!(
            e.contains("--create --topic records --partitions 6 --config cleanup.policy=compact"),
            "{e}"
        );
        assert!(!e.contains("`dlq`"), "{e}");
    }

    #[test]
    fn every_missing_topic_is_named_once() {
        let mut needed = needed();
        needed.push(TopicUse::records("records", "--output"));
        let e = check(&needed, ["raw"], "b:9092").unwrap_err().to_string();
        assert_eq!(e.matches("topic `records`").count(), 1, "{e}");
        assert!(e.contains("topic `dlq` (kafka.dlq_topic)"), "{e}");
        assert!(!e.contains("--topic dlq --partitions 6 --config"), "{e}");
    }
}
