#!/usr/bin/env python3
"""Read mtlstream's output topics with the confluent-kafka Python client.

  mtl.metrics    training reports, UTF-8 JSON (io.mtlstream.metrics.TrainingReportCodec)
  mtl.snapshots  model snapshots, binary, verified here per docs/SNAPSHOT_FORMAT.md
  mtl.dlq        rejected input: original key/value + mtl.dlq.* headers

Reads every topic from the beginning (partitions assigned, no offsets committed) with
isolation.level=read_committed, as the learner writes in Kafka transactions. Keeps
polling until the end of each topic AND the --wait-* conditions hold, or --timeout.

Output: human-readable text, or with --json one JSON object per line:
  {"type": "report", ...report fields...}
  {"type": "snapshot", "verified": true, "sha256": ..., "manifest": {...}, ...}
  {"type": "dlq", "key": ..., "value": ..., "headers": {...}, ...}
  {"type": "summary", ...}   always last
Exit code: 0 conditions met and every snapshot verified, 1 timeout, 2 a bad snapshot.

Only the Python standard library and confluent_kafka (Debian: python3-confluent-kafka).
"""

import argparse
import hashlib
import json
import math
import struct
import sys
import time

from confluent_kafka import Consumer, KafkaError, TopicPartition, OFFSET_BEGINNING

MAGIC = b"MTSN"
SUPPORTED_VERSION = 1
HEADER = struct.Struct("<4sHi")  # magic, u16 format version, i32 manifest length M
COUNT = struct.Struct("<i")      # i32 parameter count N
DIGEST = 32                      # SHA-256 trailer


class BadSnapshot(Exception):
    def __init__(self, reason, message):
        super().__init__(f"{reason}: {message}")
        self.reason = reason


def implied_parameter_count(model):
    """Dense layers: trunk, then each task's tower and output layer; weight [out,in] + bias [out]."""
    def dense(widths, fan_in):
        n = 0
        for out in widths:
            n += out * fan_in + out
            fan_in = out
        return n, fan_in

    total, trunk_out = dense(model["trunkWidths"], model["inputs"])
    for task in model["tasks"]:
        n, _ = dense(list(task["towerWidths"]) + [task["outputs"]], trunk_out)
        total += n
    return total


def decode_snapshot(b, key=None):
    """Parse and verify one snapshot (docs/SNAPSHOT_FORMAT.md, version 1), in the doc's order."""
    if len(b) < HEADER.size or b[:4] != MAGIC:
        raise BadSnapshot("bad_magic", f"not an mtlstream snapshot (starts {b[:4]!r})")
    _, version, m = HEADER.unpack_from(b, 0)
    if version != SUPPORTED_VERSION:
        raise BadSnapshot("unsupported_version", f"version {version}, supported {SUPPORTED_VERSION}")
    if m < 0 or len(b) < 10 + m + 4:
        raise BadSnapshot("truncated", f"manifest length {m}, {len(b)} bytes")
    (n,) = COUNT.unpack_from(b, 10 + m)
    body = 14 + m + 4 * n
    if n < 0 or len(b) < body + DIGEST:
        raise BadSnapshot("truncated", f"{n} parameters need {body + DIGEST} bytes, have {len(b)}")
    stored = b[body:body + DIGEST]
    computed = hashlib.sha256(b[:body]).digest()
    if stored != computed:
        raise BadSnapshot("checksum_mismatch", f"stored {stored.hex()}, computed {computed.hex()}")
    if len(b) != body + DIGEST:  # total size is exactly 46 + M + 4N
        raise BadSnapshot("malformed", f"size {len(b)} != 46 + M + 4N = {body + DIGEST}")
    manifest = json.loads(b[10:10 + m].decode("utf-8"))
    if not isinstance(manifest, dict):
        raise BadSnapshot("malformed", "manifest is not a JSON object")
    if manifest.get("formatVersion") != version:
        raise BadSnapshot("malformed", f"manifest formatVersion {manifest.get('formatVersion')}")
    implied = implied_parameter_count(manifest["model"])
    if manifest.get("parameterCount") != n or implied != n:
        raise BadSnapshot("parameter_count_mismatch",
                          f"header {n}, manifest {manifest.get('parameterCount')}, model {implied}")
    if manifest["tasks"] != [t["name"] for t in manifest["model"]["tasks"]]:
        raise BadSnapshot("malformed", "tasks differ from model.tasks[*].name")
    if key is not None and manifest.get("modelId") != key:
        raise BadSnapshot("malformed", f"modelId {manifest.get('modelId')!r} != record key {key!r}")
    params = struct.unpack_from(f"<{n}f", b, 14 + m)  # float32 little-endian
    return {
        "verified": True,
        "sizeBytes": len(b),
        "sha256": computed.hex(),
        "formatVersion": version,
        "manifestBytes": m,
        "parameterCount": n,
        "parametersAligned": (14 + m) % 4 == 0,
        "finiteParameters": sum(1 for v in params if math.isfinite(v)),
        "parameterL2": math.sqrt(sum(v * v for v in params if math.isfinite(v))),
        "manifest": manifest,
    }


def text(v):
    return None if v is None else v.decode("utf-8", errors="replace")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--bootstrap-servers", default="127.0.0.1:19092")
    p.add_argument("--metrics-topic", default="mtl.metrics")
    p.add_argument("--snapshots-topic", default="mtl.snapshots")
    p.add_argument("--dlq-topic", default="mtl.dlq")
    p.add_argument("--model", default="default", help="model id (snapshot record key)")
    p.add_argument("--wait-step", type=int, default=0,
                   help="wait for a report and a snapshot of this step (or later)")
    p.add_argument("--wait-dlq", type=int, default=0, help="wait for this many dead-letter records")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds")
    p.add_argument("--save-snapshot", metavar="FILE", help="write the latest snapshot's bytes here")
    p.add_argument("--json", action="store_true", help="JSON lines instead of text")
    a = p.parse_args()

    def emit(obj):
        if a.json:
            print(json.dumps(obj), flush=True)
        elif obj["type"] == "report":
            print(f"report   step={obj['step']} events={obj['events']} "
                  f"weights={ {k: round(v, 3) if v is not None else None for k, v in obj['weights'].items()} } "
                  f"rejected={obj['rejected']}", flush=True)
        elif obj["type"] == "snapshot":
            if obj["verified"]:
                mf = obj["manifest"]
                print(f"snapshot key={obj['key']} step={mf['step']} size={obj['sizeBytes']} B "
                      f"manifest={obj['manifestBytes']} B params={obj['parameterCount']} "
                      f"trainedEvents={mf['trainedEvents']} sha256={obj['sha256']} VERIFIED",
                      flush=True)
            else:
                print(f"snapshot key={obj['key']} REJECTED {obj['reason']}: {obj['error']}",
                      flush=True)
        elif obj["type"] == "dlq":
            print(f"dlq      {obj['topic']}@{obj['offset']} key={obj['key']} "
                  f"headers={obj['headers']} value={(obj['value'] or '')[:80]!r}"
                  f"{' (null)' if obj['value'] is None else ''}", flush=True)
        else:
            print("summary  " + json.dumps(obj), flush=True)

    consumer = Consumer({
        "bootstrap.servers": a.bootstrap_servers,
        "group.id": "mtl-interop-reader",   # required by the client; nothing is committed
        "enable.auto.commit": False,
        "isolation.level": "read_committed",
        "enable.partition.eof": True,
        "fetch.max.bytes": 256 << 20,       # snapshots are single large records
        "max.partition.fetch.bytes": 256 << 20,
        "receive.message.max.bytes": (256 << 20) + 4096,
    })
    topics = [a.metrics_topic, a.snapshots_topic, a.dlq_topic]
    metadata = consumer.list_topics(timeout=10)
    assignment = []
    for t in topics:
        if t not in metadata.topics or metadata.topics[t].error is not None:
            print(f"topic {t} not found; is the learner running?", file=sys.stderr)
            return 1
        for part in metadata.topics[t].partitions:
            assignment.append(TopicPartition(t, part, OFFSET_BEGINNING))
    consumer.assign(assignment)
    at_end = set()

    last_report, last_snapshot, dlq, bad_snapshots = None, None, [], 0
    latest_bytes = None
    deadline = time.monotonic() + a.timeout

    def done():
        return (len(at_end) == len(assignment)
                and (a.wait_step == 0 or (last_report and last_report["step"] >= a.wait_step
                                          and last_snapshot
                                          and last_snapshot["manifest"]["step"] >= a.wait_step))
                and len(dlq) >= a.wait_dlq)

    while not done() and time.monotonic() < deadline:
        msg = consumer.poll(0.5)
        if msg is None:
            continue
        tp = (msg.topic(), msg.partition())
        if msg.error():
            if msg.error().code() == KafkaError._PARTITION_EOF:
                at_end.add(tp)
                continue
            print(f"consumer error: {msg.error()}", file=sys.stderr)
            continue
        at_end.discard(tp)
        if msg.topic() == a.metrics_topic:
            report = json.loads(msg.value())
            last_report = report
            emit({"type": "report", **report})
        elif msg.topic() == a.snapshots_topic:
            key = text(msg.key())
            if msg.value() is None:  # tombstone: no snapshot for this model
                continue
            try:
                snap = decode_snapshot(msg.value(), key)
            except (BadSnapshot, ValueError, KeyError, struct.error) as e:
                bad_snapshots += 1
                emit({"type": "snapshot", "key": key, "verified": False,
                      "reason": getattr(e, "reason", "malformed"), "error": str(e)})
                continue
            if key == a.model:
                last_snapshot, latest_bytes = snap, msg.value()
            emit({"type": "snapshot", "key": key, "offset": msg.offset(), **snap})
        else:
            record = {
                "type": "dlq",
                "topic": msg.topic(), "partition": msg.partition(), "offset": msg.offset(),
                "key": text(msg.key()),
                "value": text(msg.value()),
                # headers: list of (name, bytes); every mtl.dlq.* value is UTF-8 text. The
                # original record's headers come first and are kept; on a name given twice
                # (a replayed dead letter) the last value, the learner's newest, wins here.
                "headers": {k: text(v) for k, v in (msg.headers() or [])},
            }
            dlq.append(record)
            emit(record)
    consumer.close()

    if a.save_snapshot and latest_bytes is not None:
        with open(a.save_snapshot, "wb") as f:
            f.write(latest_bytes)
    reasons = {}
    for r in dlq:
        reason = r["headers"].get("mtl.dlq.reason")
        reasons[reason] = reasons.get(reason, 0) + 1
    summary = {
        "type": "summary",
        "complete": done(),
        "lastReportStep": last_report["step"] if last_report else None,
        "reportEvents": last_report["events"] if last_report else None,
        "reportEventsTotal": sum(last_report["events"].values()) if last_report else 0,
        "reportRejected": last_report["rejected"] if last_report else None,
        "snapshotStep": last_snapshot["manifest"]["step"] if last_snapshot else None,
        "snapshotSizeBytes": last_snapshot["sizeBytes"] if last_snapshot else None,
        "snapshotSha256": last_snapshot["sha256"] if last_snapshot else None,
        "snapshotVerified": bool(last_snapshot) and bad_snapshots == 0,
        "badSnapshots": bad_snapshots,
        "dlqRecords": len(dlq),
        "dlqReasons": dict(sorted(reasons.items(), key=lambda kv: str(kv[0]))),
    }
    emit(summary)
    if bad_snapshots:
        return 2
    return 0 if summary["complete"] else 1


if __name__ == "__main__":
    sys.exit(main())
