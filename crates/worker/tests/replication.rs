//! Replication faults on a three-node Apache Kafka cluster (each node broker and controller).
//!
//! Every topic has three replicas and `min.insync.replicas = 2`, so a write acknowledged with
//! `acks=all` survives the loss of any one node. While a stream of keyed articles (with second
//! versions of earlier ones, and broken inputs) flows through one at-least-once worker:
//!
//! 1. the node leading the output partition is SIGKILLed; the cluster elects a new leader from
//!    the in-sync replicas, the worker's producer finds it and goes on; the node comes back;
//! 2. later the active controller is SIGKILLed; the quorum elects another; it comes back too.
//!
//! The worker is never restarted. Afterwards: every input has an outcome, the group's
//! committed offsets reach the end of every partition, and for every article written twice the
//! last record of its key is the second version.

mod common;

use std::time::{Duration, Instant};

use common::kafka::Options;
use common::stream::{check_last_versions, Stream};
use common::*;

const PARTITIONS: i32 = 3;

/// Waits until the worker has counted `more` outcomes beyond what it had counted on entry.
fn wait_progress(worker: &Worker, more: f64, what: &str) {
    let from = outcomes_counted(worker);
    wait_for(worker, Duration::from_secs(120), what, || {
        outcomes_counted(worker) >= from + more
    });
}

/// Waits until partition `partition` of `topic` is led by a running node again (not `gone`).
fn wait_new_leader(broker: &Broker, topic: &str, partition: i32, gone: i32) -> i32 {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let leader = broker.leader(topic, partition);
        if leader > 0 && leader != gone {
            return leader;
        }
        assert!(
            Instant::now() < deadline,
            "no new leader for {topic}/{partition}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn killing_the_output_leader_and_the_active_controller_loses_nothing_and_keeps_key_order() {
    let started = Instant::now();
    let mut broker = Broker::start_with(Options {
        nodes: 3,
        ..Options::default()
    });
    println!(
        "three-node cluster up in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let topics = Topics::create_with(
        &broker,
        "replicated",
        PARTITIONS,
        &[("min.insync.replicas", "2")],
    );
    let stream = Stream::start(broker.bootstrap(), topics.raw.clone());
    let mut worker = Worker::start(&broker, &topics, "replicated", &[]);
    worker.wait_ready(Duration::from_secs(60));
    wait_progress(&worker, 30.0, "outcomes before the first kill");

    let leader = broker.leader(&topics.records, 0);
    println!("killing node {leader}, the leader of {}/0", topics.records);
    broker.kill_node(leader);
    let next = wait_new_leader(&broker, &topics.records, 0, leader);
    println!("node {next} leads {}/0 now", topics.records);
    wait_progress(&worker, 30.0, "outcomes with the leader down");
    broker.start_node(leader);
    wait_progress(&worker, 20.0, "outcomes after the leader came back");

    let controller = broker
        .active_controller()
        .expect("an active controller in the logs");
    println!("killing node {controller}, the active controller");
    broker.kill_node(controller);
    wait_progress(&worker, 30.0, "outcomes with the controller down");
    broker.start_node(controller);
    wait_progress(&worker, 20.0, "outcomes after the controller came back");

    let produced = stream.stop();
    let positions: Vec<(i32, i64)> = produced.iter().map(|p| p.position).collect();
    wait_committed_to(
        &broker.bootstrap(),
        "replicated",
        &topics.raw,
        &partition_ends(&positions, PARTITIONS),
        Duration::from_secs(120),
        || worker.log(),
    );
    let log = worker.stop_cleanly("worker");
    let (records, letters) = outputs::outputs(&broker.bootstrap(), &topics, produced.len());
    let seen = tally(&records, &letters);
    let missing: Vec<_> = positions.iter().filter(|p| !seen.contains_key(p)).collect();
    let duplicates = records.len() + letters.len() - seen.len();
    println!(
        "replication: {} inputs, {} records + {} dead letters, {} missing, {duplicates} \
         duplicates, {:.0} s",
        produced.len(),
        records.len(),
        letters.len(),
        missing.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        missing.is_empty(),
        "inputs without an outcome: {missing:?}\n{log}\n{}",
        broker.log()
    );
    check_last_versions(&produced, &records);
}
