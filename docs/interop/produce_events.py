#!/usr/bin/env python3
"""Produce mtlstream labeled events with the confluent-kafka Python client.

Writes JSON events (src/main/resources/schema/labeled-event.schema.json) to the
per-task topics <prefix><task> of the deployment in docs/interop/learner.properties:

  price  regression, one output   label: a number
  click  binary                   label: 0 or 1
  kind   multiclass, 3 classes    label: 0, 1 or 2

Valid events are spread round-robin over the three tasks. With --invalid, a fixed set
of bad records is sent first, one per reject reason the learner should report (see
INVALID below); they end up on the dead-letter topic.

Prints one JSON line on stdout with what was delivered, e.g.
  {"valid": 960, "invalid": 6, "perTask": {...}, "invalidReasons": {...}}
Exit code 0 only when every record was acknowledged by the broker.

Only the Python standard library and confluent_kafka (Debian: python3-confluent-kafka).
"""

import argparse
import json
import random
import sys

from confluent_kafka import Producer

TASKS = ("price", "click", "kind")


def valid_event(i, rnd, features, model):
    """Event i: task round-robin, a learnable label from the features."""
    task = TASKS[i % len(TASKS)]
    x = [round(rnd.uniform(-1.0, 1.0), 6) for _ in range(features)]
    s = sum(x)
    if task == "price":
        label = round(3.0 * x[0] - 2.0 * x[1] + 0.5 + rnd.gauss(0, 0.05), 6)
    elif task == "click":
        label = 1 if s > 0 else 0
    else:  # kind: 3 classes by the sum of the features
        label = 0 if s < -0.5 else (1 if s < 0.5 else 2)
    event = {"id": f"py-{i}", "model": model, "features": x, "label": label}
    return task, event


def invalid_records(features):
    """(topic task, key, value bytes, expected dead-letter reason)."""
    ok = [0.5] * features
    return [
        ("price", "bad-json", b"{not json", "malformed_json"),
        ("price", "bad-count",
         json.dumps({"id": "bad-count", "features": ok[:-1], "label": 1.0}).encode(),
         "wrong_feature_count"),
        # Python's json writes NaN as the bare token NaN, which is not JSON; the learner
        # rejects it as a non-finite feature, not as malformed JSON.
        ("price", "bad-nan",
         json.dumps({"id": "bad-nan", "features": [float("nan")] + ok[1:], "label": 1.0}).encode(),
         "non_finite_feature"),
        ("kind", "bad-class",
         json.dumps({"id": "bad-class", "features": ok, "label": 3}).encode(),
         "invalid_label"),
        ("click", "bad-task",
         json.dumps({"id": "bad-task", "task": "price", "features": ok, "label": 1}).encode(),
         "task_mismatch"),
        ("click", "no-label",
         json.dumps({"id": "no-label", "features": ok}).encode(),
         "missing_label"),
    ]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--bootstrap-servers", default="127.0.0.1:19092")
    p.add_argument("--topic-prefix", default="mtl.events.")
    p.add_argument("--valid", type=int, default=960, help="valid events (default 960 = 30 steps of 32)")
    p.add_argument("--invalid", action="store_true", help="also send one bad record per reason, first")
    p.add_argument("--features", type=int, default=4)
    p.add_argument("--model", default="default")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for acks")
    a = p.parse_args()

    producer = Producer({
        "bootstrap.servers": a.bootstrap_servers,
        "client.id": "mtl-interop-python",
        "enable.idempotence": True,   # acks=all, no duplicates on retry
        "linger.ms": 5,
    })
    acked = {"ok": 0, "failed": []}

    def on_delivery(err, msg):
        if err is None:
            acked["ok"] += 1
        else:
            acked["failed"].append(str(err))

    def send(task, key, value):
        while True:
            try:
                producer.produce(a.topic_prefix + task, key=key.encode(), value=value,
                                 on_delivery=on_delivery)
                break
            except BufferError:  # local queue full: serve callbacks, then retry
                producer.poll(0.1)
        producer.poll(0)

    invalid_reasons = {}
    sent = 0
    if a.invalid:
        for task, key, value, reason in invalid_records(a.features):
            send(task, key, value)
            invalid_reasons[reason] = invalid_reasons.get(reason, 0) + 1
            sent += 1
        # Bad records first, acknowledged before any valid one: they are then counted in
        # the learner's reports that follow.
        if producer.flush(a.timeout) != 0:
            print("invalid records not acknowledged in time", file=sys.stderr)
            return 1

    rnd = random.Random(a.seed)
    per_task = {t: 0 for t in TASKS}
    for i in range(a.valid):
        task, event = valid_event(i, rnd, a.features, a.model)
        send(task, event["id"], json.dumps(event, separators=(",", ":")).encode())
        per_task[task] += 1
        sent += 1

    remaining = producer.flush(a.timeout)
    summary = {
        "valid": a.valid,
        "invalid": sum(invalid_reasons.values()),
        "acked": acked["ok"],
        "perTask": per_task,
        "invalidReasons": dict(sorted(invalid_reasons.items())),
    }
    print(json.dumps(summary))
    if remaining or acked["failed"] or acked["ok"] != sent:
        print(f"not delivered: {remaining} pending, errors {acked['failed'][:5]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
