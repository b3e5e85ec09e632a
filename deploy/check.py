"""Structural checks of deploy/, run by deploy/check.sh (which also runs promtool).

Usage: check.py DEPLOY_DIR DASHBOARD_RULES_OUT

Parsing alone lets many deployment mistakes through, so beyond "every YAML/JSON file parses" this
checks the facts the pieces rely on of each other and of the worker's contract:

- every alert in prometheus/alerts.yml has a unit test where it fires and one where it stays silent;
- the compose worker service is scalable (no container_name, no host port) and everything the
  stack mounts or builds from exists;
- the Kubernetes manifests are complete (kustomization lists them all), every key of the
  ConfigMap's TOML exists in config/default.toml (the worker rejects unknown keys), the probes use
  /healthz and /readyz, the pods get more time to stop than the worker's drain deadline, and KEDA
  watches the consumer group and topic the worker uses;
- the StatefulSet variant (k8s-statefulset/) is an overlay of k8s/ that deletes the Deployment,
  points KEDA at the StatefulSet, and whose pod template is the Deployment's plus static
  membership (NEWSWORKER__KAFKA__GROUP_INSTANCE_ID=auto);
- the Grafana dashboard has unique panel ids and uses its datasource variable everywhere, and the
  provisioning finds it.

The dashboard's PromQL queries are written, with template variables filled in, as recording rules
to DASHBOARD_RULES_OUT so that `promtool check rules` validates their syntax.
"""

import json
import re
import sys
from pathlib import Path

import yaml

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11
    import tomli as tomllib

FAILURES = []


def fail(where, message):
    """Records one failed check; the script exits non-zero at the end if any was recorded."""
    FAILURES.append(f"{where}: {message}")


def load_documents(deploy):
    """Parses every YAML and JSON file under deploy/; returns {path: [documents]}."""
    documents = {}
    for path in sorted(deploy.rglob("*")):
        if path.suffix not in (".yml", ".yaml", ".json") or not path.is_file():
            continue
        try:
            with path.open(encoding="utf-8") as handle:
                if path.suffix == ".json":
                    documents[path] = [json.load(handle)]
                else:
                    documents[path] = [doc for doc in yaml.safe_load_all(handle) if doc is not None]
        except (yaml.YAMLError, json.JSONDecodeError, UnicodeDecodeError) as error:
            fail(path, f"does not parse: {error}")
    return documents


def check_alert_tests(rules, tests, where):
    """Each alert needs a test case where it fires, and one where it must never fire.

    A silent expectation inside a case where the alert fires later only shows the `for:` delay, so
    a "stays silent" case counts only if the alert fires nowhere in it.
    """
    alerts = [r["alert"] for g in rules["groups"] for r in g["rules"] if "alert" in r]
    fired, silent = set(), set()
    for case in tests.get("tests", []):
        expectations = case.get("alert_rule_test", [])
        fires_here = {e["alertname"] for e in expectations if e.get("exp_alerts")}
        fired |= fires_here
        silent |= {e["alertname"] for e in expectations if not e.get("exp_alerts")} - fires_here
    for alert in alerts:
        if alert not in fired:
            fail(where, f"no test case where {alert} fires")
        if alert not in silent:
            fail(where, f"no test case where {alert} stays silent")
    print(f"  alert tests: {len(alerts)} alerts, {len(fired)} tested firing, {len(silent)} silent")


def duration_seconds(text):
    """Seconds of a compose duration such as '45s' or '1m30s'."""
    parts = re.findall(r"(\d+(?:\.\d+)?)(h|ms|m|s|us)", str(text))
    scale = {"h": 3600, "m": 60, "s": 1, "ms": 0.001, "us": 1e-6}
    return sum(float(n) * scale[unit] for n, unit in parts)


def check_compose(compose, compose_path):
    """The worker service scales, and every built or mounted host path exists."""
    where = compose_path
    services = compose.get("services", {})
    for name in ("kafka", "kafka-init", "newsworker", "prometheus", "grafana"):
        if name not in services:
            fail(where, f"service {name} missing")
    worker = services.get("newsworker", {})
    for key in ("container_name", "ports"):
        if key in worker:
            fail(where, f"newsworker sets {key}: `--scale newsworker=N` would collide")
    drain = float(worker.get("environment", {}).get("NEWSWORKER__WORKER__DRAIN_TIMEOUT_SECS", 30))
    if duration_seconds(worker.get("stop_grace_period", "10s")) <= drain:
        fail(where, "newsworker stop_grace_period must exceed the drain deadline")
    build = worker.get("build", {})
    context = (compose_path.parent / build.get("context", ".")).resolve()
    dockerfile = context / build.get("dockerfile", "Dockerfile")
    if not dockerfile.is_file():
        fail(where, f"build dockerfile {dockerfile} missing")
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith((".", "/")) and not (compose_path.parent / source).exists():
                fail(where, f"service {name} mounts missing {source}")
    print(f"  compose: {len(services)} services")


def config_keys(table, prefix=""):
    """Dotted key paths of a config; free-form librdkafka `*properties` tables count as one key."""
    keys = set()
    for key, value in table.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and not key.endswith("properties"):
            keys |= config_keys(value, f"{path}.")
        else:
            keys.add(path)
    return keys


def merged(base, overlay):
    """The worker's layering: tables merged recursively, other values replaced."""
    result = dict(base)
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = value
    return result


def check_kubernetes(k8s_dir, documents, repo_config):
    """Manifests are complete and consistent with the worker's configuration and contract."""
    manifests = {p: docs for p, docs in documents.items() if p.parent == k8s_dir}
    kustomization_path = k8s_dir / "kustomization.yaml"
    kustomization = manifests.pop(kustomization_path, [{}])[0]
    listed = {k8s_dir / r for r in kustomization.get("resources", [])}
    for missing in sorted(listed - set(manifests)):
        fail(kustomization_path, f"lists missing {missing.name}")
    for unlisted in sorted(set(manifests) - listed):
        fail(kustomization_path, f"does not list {unlisted.name}")

    by_kind = {}
    for path, docs in manifests.items():
        for doc in docs:
            if not all(k in doc for k in ("apiVersion", "kind")) or "name" not in doc.get("metadata", {}):
                fail(path, "a document lacks apiVersion, kind or metadata.name")
                continue
            by_kind.setdefault(doc["kind"], []).append((path, doc))
    required = ("ConfigMap", "Deployment", "Service", "ScaledObject", "ServiceMonitor")
    if any(kind not in by_kind for kind in required):
        fail(k8s_dir, f"needs one each of {', '.join(required)}; has {', '.join(sorted(by_kind))}")
        return

    configmap_path, configmap = by_kind["ConfigMap"][0]
    (toml_name, toml_text), = configmap["data"].items()
    try:
        overlay = tomllib.loads(toml_text)
        defaults = tomllib.loads(repo_config.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, OSError) as error:
        fail(configmap_path, f"{toml_name} or {repo_config} unreadable: {error}")
        return
    unknown = config_keys(overlay) - config_keys(defaults)
    if unknown:
        fail(configmap_path, f"keys unknown to {repo_config.name}: {sorted(unknown)}")
    config = merged(defaults, overlay)

    deployment_path, deployment = by_kind["Deployment"][0]
    check_pod(deployment_path, deployment["spec"]["template"]["spec"], config, toml_name)

    scaled_path, scaled = by_kind["ScaledObject"][0]
    trigger = scaled["spec"]["triggers"][0]["metadata"]
    kafka = config["kafka"]
    for key, expected in (("bootstrapServers", kafka["brokers"]), ("consumerGroup", kafka["group_id"]),
                          ("topic", kafka["input_topic"])):
        if trigger.get(key) != expected:
            fail(scaled_path, f"trigger {key} {trigger.get(key)!r} differs from the ConfigMap's {expected!r}")

    service = by_kind["Service"][0][1]
    if service["metadata"]["name"] != "newsworker":
        fail(by_kind["Service"][0][0], "the Service must be named newsworker (Prometheus job label)")
    print(f"  kubernetes: {sum(len(v) for v in by_kind.values())} objects")
    return deployment


def check_pod(path, pod, config, toml_name):
    """A worker pod stops within its grace period, probes the right paths, finds its config."""
    drain = config.get("worker", {}).get("drain_timeout_secs", 30)
    if pod.get("terminationGracePeriodSeconds", 30) <= drain:
        fail(path, "terminationGracePeriodSeconds must exceed worker.drain_timeout_secs")
    container = pod["containers"][0]
    for probe, probe_path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
        if container.get(probe, {}).get("httpGet", {}).get("path") != probe_path:
            fail(path, f"{probe} must GET {probe_path}")
    mounts = {m["mountPath"] for m in container.get("volumeMounts", [])}
    env = {e["name"]: e.get("value") for e in container.get("env", [])}
    config_file = env.get("NEWSWORKER_CONFIG") or ""
    if str(Path(config_file).parent) not in mounts:
        fail(path, f"NEWSWORKER_CONFIG {config_file!r} is not in a mounted volume")
    elif Path(config_file).name != toml_name:
        fail(path, f"NEWSWORKER_CONFIG names {config_file}, the ConfigMap holds {toml_name}")


INSTANCE_ID_VAR = "NEWSWORKER__KAFKA__GROUP_INSTANCE_ID"


def check_statefulset_overlay(overlay_dir, documents, deployment):
    """The StatefulSet variant is an overlay of ../k8s that replaces the Deployment (deleted, and
    KEDA retargeted) by a StatefulSet whose pod template is the Deployment's plus static
    membership, so that the two cannot drift apart."""
    kustomization_path = overlay_dir / "kustomization.yaml"
    kustomization = documents.get(kustomization_path, [{}])[0]
    resources = kustomization.get("resources", [])
    if "../k8s" not in resources:
        fail(kustomization_path, "must build on ../k8s")
    local = {p for p in documents if p.parent == overlay_dir and p != kustomization_path}
    if local != {overlay_dir / r for r in resources if r != "../k8s"}:
        fail(kustomization_path, f"resources {resources} differ from the files beside it")
    patches = [yaml.safe_load(p.get("patch", "")) for p in kustomization.get("patches", [])]
    deletes = any(isinstance(p, dict) and p.get("$patch") == "delete" and p.get("kind") == "Deployment"
                  for p in patches)
    retargets = any(isinstance(p, list) and any(op.get("path") == "/spec/scaleTargetRef"
                                                and op.get("value", {}).get("kind") == "StatefulSet"
                                                for op in p)
                    for p in patches)
    if not (deletes and retargets):
        fail(kustomization_path, "must delete the base's Deployment and point KEDA at the StatefulSet")
    found = [(p, d) for p in sorted(local) for d in documents[p] if d.get("kind") == "StatefulSet"]
    if len(found) != 1:
        fail(overlay_dir, f"needs exactly one StatefulSet, has {len(found)}")
        return
    path, statefulset = found[0]
    spec = statefulset["spec"]
    if spec.get("serviceName") != "newsworker" or spec.get("podManagementPolicy") != "Parallel":
        fail(path, "needs serviceName newsworker (the headless Service) and podManagementPolicy Parallel")
    template = json.loads(json.dumps(spec["template"]))
    env = template["spec"]["containers"][0].get("env", [])
    instance = [e for e in env if e["name"] == INSTANCE_ID_VAR]
    if [e.get("value") for e in instance] != ["auto"]:
        fail(path, f"the container needs {INSTANCE_ID_VAR}=auto (its pod name as group.instance.id)")
    template["spec"]["containers"][0]["env"] = [e for e in env if e["name"] != INSTANCE_ID_VAR]
    if template != deployment["spec"]["template"]:
        fail(path, "the pod template differs from ../k8s/deployment.yaml's beyond static membership")
    print(f"  kubernetes StatefulSet variant: {len(local) + 1} files")


def check_dashboard(dashboard, dashboard_path, rules_out):
    """Panel ids are unique, queries use the datasource variable; writes the queries as rules."""
    where = dashboard_path
    ids, exprs = set(), []
    for panel in dashboard["panels"]:
        if panel["id"] in ids:
            fail(where, f"duplicate panel id {panel['id']}")
        ids.add(panel["id"])
        if panel["type"] == "row":
            continue
        if panel.get("datasource", {}).get("uid") != "${datasource}":
            fail(where, f"panel {panel['title']!r} does not use the datasource variable")
        if not panel.get("targets"):
            fail(where, f"panel {panel['title']!r} has no query")
        for target in panel.get("targets", []):
            if not target.get("expr") or not target.get("refId"):
                fail(where, f"panel {panel['title']!r} has a query without expr or refId")
            exprs.append(target.get("expr", ""))
    variables = {v["name"] for v in dashboard["templating"]["list"]}
    substitutions = {"$__rate_interval": "5m", "$job": "newsworker", "$instance": ".*", "$stage": ".*"}
    rules = []
    for number, expr in enumerate(exprs):
        for used in set(re.findall(r"\$\w+", expr)):
            if used not in substitutions or (not used.startswith("$__") and used[1:] not in variables):
                fail(where, f"query uses unknown variable {used}: {expr}")
        for name, value in substitutions.items():
            expr = expr.replace(name, value)
        rules.append({"record": f"dashboard:query_{number}", "expr": expr})
    with open(rules_out, "w", encoding="utf-8") as handle:
        yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}, handle)
    print(f"  dashboard: {len(ids)} panels, {len(exprs)} queries")


def check_grafana_provisioning(documents, compose, compose_dir, dashboards_dir):
    """The provisioned datasource is Prometheus and the provider path is where the dashboards are mounted."""
    provisioning = compose_dir / "grafana" / "provisioning"
    datasources = documents.get(provisioning / "datasources" / "prometheus.yml", [{}])[0]
    if not any(d.get("type") == "prometheus" for d in datasources.get("datasources", [])):
        fail(provisioning, "no Prometheus datasource provisioned")
    providers = documents.get(provisioning / "dashboards" / "newsworker.yml", [{}])[0]
    paths = {p.get("options", {}).get("path") for p in providers.get("providers", [])}
    mounted = {
        v.split(":")[1]
        for v in compose["services"]["grafana"].get("volumes", [])
        if (compose_dir / v.split(":")[0]).resolve() == dashboards_dir.resolve()
    }
    if not paths & mounted:
        fail(provisioning, f"dashboard provider paths {paths} are not where compose mounts deploy/grafana")


def main():
    deploy = Path(sys.argv[1]).resolve()
    rules_out = sys.argv[2]
    documents = load_documents(deploy)
    print(f"  {len(documents)} YAML/JSON files parse")
    if FAILURES:
        return report()

    def single(relative):
        return documents[deploy / relative][0]

    check_alert_tests(single("prometheus/alerts.yml"), single("prometheus/alerts.test.yml"),
                      deploy / "prometheus/alerts.test.yml")
    compose_path = deploy / "compose/docker-compose.yml"
    compose = single("compose/docker-compose.yml")
    check_compose(compose, compose_path)
    check_grafana_provisioning(documents, compose, compose_path.parent, deploy / "grafana")
    deployment = check_kubernetes(deploy / "k8s", documents, deploy.parent / "config" / "default.toml")
    if deployment:
        check_statefulset_overlay(deploy / "k8s-statefulset", documents, deployment)
    check_dashboard(single("grafana/newsworker.json"), deploy / "grafana/newsworker.json", rules_out)
    return report()


def report():
    for failure in FAILURES:
        print(f"FAILED {failure}", file=sys.stderr)
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
