#!/usr/bin/env python3
"""Evaluates a Crucible checkpoint with the PyTorch reference model, as an independent reproduction.

    /usr/bin/python3 check_checkpoint.py --checkpoint model.safetensors --text-file some.txt --batch-size 2

Reads the safetensors file with its own minimal parser (no `safetensors` package needed): 8-byte
little-endian header length, JSON header, `__metadata__.config` holding the model config as JSON (keys
nLayer/nEmbd/nHead/blockSize, or n_layer/n_embd/n_head/block_size). Tokens are the file's bytes: the first
B*(T+1) bytes form B rows of T+1, inputs = row[:-1], targets = row[1:]. Prints ONE JSON line
{"loss": mean cross-entropy (nats), "per_sequence": [...], "params": ..., "config": {...}}.
"""
import argparse
import json
import os
import struct
import sys

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import baseline  # noqa: E402  (the same model code as the benchmark)

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    data = raw[8 + n:]
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        t = torch.frombuffer(bytearray(data[begin:end]), dtype=DTYPES[info["dtype"]]).float()
        tensors[name] = t.reshape(info["shape"])
    return tensors, metadata


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--text-file", required=True)
    p.add_argument("--batch-size", type=int, default=1)
    p.add_argument("--seq-len", type=int, default=0, help="T (default: the model's block size)")
    a = p.parse_args()
    tensors, metadata = read_safetensors(a.checkpoint)
    cfg = json.loads(metadata["config"])
    pick = lambda camel, snake: int(cfg[camel] if camel in cfg else cfg[snake])  # noqa: E731
    n_layer, n_embd, n_head, block = pick("nLayer", "n_layer"), pick("nEmbd", "n_embd"), pick("nHead", "n_head"), pick("blockSize", "block_size")
    expected = baseline.param_shapes(n_layer, n_embd, block)
    missing = sorted(set(expected) - set(tensors))
    extra = sorted(set(tensors) - set(expected))
    wrong = sorted(k for k in expected if k in tensors and tuple(tensors[k].shape) != expected[k])
    if missing or extra or wrong:
        sys.exit(f"checkpoint does not match the config: missing {missing}, unexpected {extra}, wrong shape {wrong}")
    t = a.seq_len or block
    with open(a.text_file, "rb") as f:
        text = f.read(a.batch_size * (t + 1))
    if len(text) < a.batch_size * (t + 1):
        sys.exit(f"text file holds {len(text)} bytes, need {a.batch_size * (t + 1)}")
    rows = torch.tensor(list(text), dtype=torch.long).view(a.batch_size, t + 1)
    with torch.no_grad():
        per_seq = [baseline.forward_loss(tensors, rows[i:i + 1, :-1], rows[i:i + 1, 1:], n_layer, n_head).item() for i in range(a.batch_size)]
        loss = baseline.forward_loss(tensors, rows[:, :-1], rows[:, 1:], n_layer, n_head).item()
    print(json.dumps({"loss": loss, "per_sequence": per_seq, "params": sum(x.numel() for x in tensors.values()),
                      "config": {"n_layer": n_layer, "n_embd": n_embd, "n_head": n_head, "block_size": block}}))


if __name__ == "__main__":
    main()
