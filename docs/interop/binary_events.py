#!/usr/bin/env python3
"""Write mtlstream binary events (docs/EVENT_FORMAT.md, version 1) with the standard library.

    from binary_events import encode_event
    value = encode_event([0.1, 0.2, 0.3], [1.0], model="default", task="click", id="e-1",
                         ts=1732400000000)
    producer.produce("mtl.events.click", value)

Features and labels may be lists, tuples or numpy arrays (numpy is used when they are
arrays: one tobytes() per array instead of a struct.pack of every value).

Run as a script it prints the hex of the example in docs/EVENT_FORMAT.md, which
BinaryEventCodecTest pins byte for byte on the Java side.
"""

import struct

MAGIC = 0xB7
VERSION = 1
FLAG_MODEL, FLAG_TASK, FLAG_ID, FLAG_TS = 1, 2, 4, 8


def _string(text):
    raw = text.encode("utf-8")
    if len(raw) > 0xFFFF:
        raise ValueError("at most 65535 UTF-8 bytes")
    return struct.pack("<H", len(raw)) + raw


def _floats(values):
    if hasattr(values, "astype"):  # numpy: little-endian float32, one copy
        arr = values.astype("<f4", copy=False).ravel()
        return struct.pack("<I", arr.size) + arr.tobytes()
    values = list(values)
    return struct.pack("<I%df" % len(values), len(values), *values)


def encode_event(features, label, model=None, task=None, id=None, ts=None):
    """One record value. label: a list of floats (one value for binary/multiclass tasks).

    None leaves a field out: model -> "default", task -> the topic's task (required on
    the mixed topic), id -> none, ts -> the Kafka record timestamp.
    """
    if not hasattr(label, "__len__"):
        label = [label]
    flags = ((model is not None) * FLAG_MODEL | (task is not None) * FLAG_TASK
             | (id is not None) * FLAG_ID | (ts is not None) * FLAG_TS)
    out = bytearray(struct.pack("<BBB", MAGIC, VERSION, flags))
    for present, text in ((model, model), (task, task), (id, id)):
        if present is not None:
            out += _string(text)
    if ts is not None:
        out += struct.pack("<q", ts)
    out += _floats(features)
    out += _floats(label)
    return bytes(out)


if __name__ == "__main__":
    print(encode_event([1.0, -2.0, 0.5], [1.0], model="m", task="click", id="e1", ts=258).hex())
