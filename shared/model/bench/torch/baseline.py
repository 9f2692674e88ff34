#!/usr/bin/env python3
"""PyTorch CPU baseline for Crucible's GPT: the identical model, timed the same way as ours.

Run with Debian's interpreter (where python3-torch lives), after ensure-torch.sh:

    /usr/bin/python3 baseline.py --n-layer 4 --n-embd 256 --n-head 4 --block-size 128 --batch-size 16 --threads 2

Measures training tokens/s (forward + backward + gradient clipping + AdamW step) and forward-only tokens/s
(forward to the mean loss under no_grad), prints which BLAS library torch actually loaded and the peak
RSS, then ONE final JSON line:

    {"bench":"torch","params":...,"batch_tokens":...,"threads":...,"train_tokens_per_s":...,
     "forward_tokens_per_s":...,"peak_rss_mb":...,"blas":"...","torch":"..."}

The model (parameters stored (in, out) so y = x @ W + b; names as in Crucible's checkpoints):
  wte.weight (V,C), wpe.weight (T,C); per layer i: h.i.ln_1.{weight,bias} (C), h.i.attn.c_attn.{weight (C,3C),
  bias (3C)} [q,k,v], h.i.attn.c_proj.{weight (C,C), bias (C)}, h.i.ln_2.{weight,bias}, h.i.mlp.c_fc.{weight
  (C,4C), bias (4C)}, h.i.mlp.c_proj.{weight (4C,C), bias (C)}; ln_f.{weight,bias}.
  x = wte[tok] + wpe[pos]; per layer x += c_proj(attn(ln_1(x))); x += mlp.c_proj(gelu_tanh(c_fc(ln_2(x))));
  logits = ln_f(x) @ wte^T; LayerNorm eps 1e-5; causal attention scaled by 1/sqrt(head dim);
  loss = mean cross-entropy (natural log) over B*T.
  Init: weights N(0, 0.02); both c_proj weights N(0, 0.02/sqrt(2*n_layer)); biases 0; LayerNorm 1 and 0.
"""
import argparse
import json
import math
import os
import resource
import sys
import time

VOCAB = 256


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n-layer", type=int, default=4)
    p.add_argument("--n-embd", type=int, default=256)
    p.add_argument("--n-head", type=int, default=4)
    p.add_argument("--block-size", type=int, default=128, help="context length T")
    p.add_argument("--batch-size", type=int, default=16, help="sequences per step B")
    p.add_argument("--steps", type=int, default=10, help="timed training steps")
    p.add_argument("--forward-steps", type=int, default=20, help="timed forward-only steps")
    p.add_argument("--warmup", type=int, default=2, help="untimed steps before each measurement")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--omp-wait-policy", choices=["default", "passive", "active"], default="default",
                   help="OMP_WAIT_POLICY for torch's OpenMP threads; 'default' leaves the library default. On an "
                        "oversubscribed machine spinning threads collapse 2-thread throughput ~10x; use 'passive' there")
    a = p.parse_args()
    if a.n_embd % a.n_head != 0:
        p.error("--n-embd must be divisible by --n-head")
    return a


if __name__ == "__main__":
    ARGS = parse_args()
    # Thread counts must be fixed before torch (and its OpenMP/OpenBLAS runtime) is loaded.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(ARGS.threads)
    if ARGS.omp_wait_policy != "default":
        os.environ["OMP_WAIT_POLICY"] = ARGS.omp_wait_policy.upper()

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def param_shapes(n_layer, c, t):
    shapes = {"wte.weight": (VOCAB, c), "wpe.weight": (t, c)}
    for i in range(n_layer):
        h = f"h.{i}."
        shapes.update({
            h + "ln_1.weight": (c,), h + "ln_1.bias": (c,),
            h + "attn.c_attn.weight": (c, 3 * c), h + "attn.c_attn.bias": (3 * c,),
            h + "attn.c_proj.weight": (c, c), h + "attn.c_proj.bias": (c,),
            h + "ln_2.weight": (c,), h + "ln_2.bias": (c,),
            h + "mlp.c_fc.weight": (c, 4 * c), h + "mlp.c_fc.bias": (4 * c,),
            h + "mlp.c_proj.weight": (4 * c, c), h + "mlp.c_proj.bias": (c,),
        })
    shapes.update({"ln_f.weight": (c,), "ln_f.bias": (c,)})
    return shapes


def init_params(n_layer, c, t, generator):
    params = {}
    for name, shape in param_shapes(n_layer, c, t).items():
        if name.endswith(".bias"):
            value = torch.zeros(shape)
        elif ".ln_" in name or name.startswith("ln_f"):
            value = torch.ones(shape)
        else:
            std = 0.02 / math.sqrt(2 * n_layer) if name.endswith("c_proj.weight") else 0.02
            value = torch.randn(shape, generator=generator) * std
        params[name] = torch.nn.Parameter(value)
    return params


def linear(x2d, w, b):
    # x2d: (N, in) @ w: (in, out) + b: (out,)
    return torch.addmm(b, x2d, w)


def forward_loss(p, tokens, targets, n_layer, n_head):
    b, t = tokens.shape
    c = p["wte.weight"].shape[1]
    hd = c // n_head
    x = p["wte.weight"][tokens] + p["wpe.weight"][:t]  # (B,T,C)
    mask = torch.ones(t, t, dtype=torch.bool).triu(1)  # True above the diagonal = future positions
    for i in range(n_layer):
        h = f"h.{i}."
        y = F.layer_norm(x, (c,), p[h + "ln_1.weight"], p[h + "ln_1.bias"], 1e-5)
        qkv = linear(y.view(b * t, c), p[h + "attn.c_attn.weight"], p[h + "attn.c_attn.bias"])  # (B*T,3C)
        q, k, v = qkv.view(b, t, 3, n_head, hd).permute(2, 0, 3, 1, 4)  # each (B,H,T,hd)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd))  # (B,H,T,T)
        att = att.masked_fill(mask, float("-inf")).softmax(dim=-1)
        y = (att @ v).transpose(1, 2).reshape(b * t, c)  # (B*T,C)
        x = x + linear(y, p[h + "attn.c_proj.weight"], p[h + "attn.c_proj.bias"]).view(b, t, c)
        y = F.layer_norm(x, (c,), p[h + "ln_2.weight"], p[h + "ln_2.bias"], 1e-5)
        y = F.gelu(linear(y.view(b * t, c), p[h + "mlp.c_fc.weight"], p[h + "mlp.c_fc.bias"]), approximate="tanh")
        x = x + linear(y, p[h + "mlp.c_proj.weight"], p[h + "mlp.c_proj.bias"]).view(b, t, c)
    x = F.layer_norm(x, (c,), p["ln_f.weight"], p["ln_f.bias"], 1e-5)
    logits = x.view(b * t, c) @ p["wte.weight"].t()  # (B*T,V), tied embedding
    return F.cross_entropy(logits, targets.reshape(b * t))


def loaded_blas():
    """The BLAS/LAPACK shared objects actually mapped into this process (resolved paths)."""
    libs = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            name = os.path.basename(path)
            if any(k in name for k in ("blas", "mkl", "lapack", "blis")):
                libs.add(os.path.realpath(path))
    return sorted(libs)


def blas_summary(libs, config_text):
    build = next((tok.split("=", 1)[1].rstrip(",") for tok in config_text.replace(",", " ").split() if tok.startswith("BLAS_INFO=")), "unknown")
    joined = " ".join(libs)
    if "openblas" in joined:
        kind = "openblas-openmp" if "openmp" in joined else ("openblas-pthread" if "pthread" in joined else "openblas")
    elif "mkl" in joined:
        kind = "mkl"
    elif "blis" in joined:
        kind = "blis"
    elif "blas" in joined:
        kind = "reference-blas (slow!)"
    else:
        kind = f"none-loaded (build BLAS_INFO={build})"
    return kind, build


def main():
    a = ARGS
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    gen = torch.Generator().manual_seed(a.seed)
    params = init_params(a.n_layer, a.n_embd, a.block_size, gen)
    n_params = sum(p.numel() for p in params.values())
    decay = [p for p in params.values() if p.dim() == 2]
    no_decay = [p for p in params.values() if p.dim() != 2]
    opt = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
        lr=a.lr, betas=(0.9, 0.95), eps=1e-8,
    )
    data = torch.randint(0, VOCAB, (a.batch_size, a.block_size + 1), generator=gen)
    tokens, targets = data[:, :-1].contiguous(), data[:, 1:].contiguous()
    batch_tokens = a.batch_size * a.block_size

    def train_step():
        opt.zero_grad(set_to_none=True)
        loss = forward_loss(params, tokens, targets, a.n_layer, a.n_head)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params.values(), 1.0)
        opt.step()
        return loss.item()

    first_loss = None
    for _ in range(a.warmup):
        loss = train_step()
        first_loss = loss if first_loss is None else first_loss
    step_s = []
    for _ in range(a.steps):
        t0 = time.perf_counter()
        loss = train_step()
        step_s.append(time.perf_counter() - t0)
    train_s = sum(step_s)
    train_tps = batch_tokens * a.steps / train_s
    # The median resists other processes stealing the CPU for a few steps (shared machines).
    train_median_tps = batch_tokens / sorted(step_s)[len(step_s) // 2]
    train_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    with torch.no_grad():
        for _ in range(a.warmup):
            forward_loss(params, tokens, targets, a.n_layer, a.n_head)
        fwd_step_s = []
        for _ in range(a.forward_steps):
            t0 = time.perf_counter()
            forward_loss(params, tokens, targets, a.n_layer, a.n_head).item()
            fwd_step_s.append(time.perf_counter() - t0)
        fwd_s = sum(fwd_step_s)
    fwd_tps = batch_tokens * a.forward_steps / fwd_s
    fwd_median_tps = batch_tokens / sorted(fwd_step_s)[len(fwd_step_s) // 2]
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    libs = loaded_blas()
    blas, build_blas = blas_summary(libs, torch.__config__.show())
    wait_policy = os.environ.get("OMP_WAIT_POLICY", "default")
    print(f"torch {torch.__version__} ({sys.executable}), threads {torch.get_num_threads()}, OMP_WAIT_POLICY {wait_policy}, "
          f"BLAS {blas} (build BLAS_INFO={build_blas}), load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for lib in libs:
        print(f"  loaded: {lib}")
    print(f"model: n_layer={a.n_layer} n_embd={a.n_embd} n_head={a.n_head} block_size={a.block_size}, {n_params:,} parameters")
    print(f"batch {a.batch_size}x{a.block_size} = {batch_tokens} tokens; loss {first_loss:.4f} -> {loss:.4f} (random tokens, ln 256 = {math.log(256):.4f})")
    print(f"train (fwd+bwd+clip+AdamW): {train_tps:,.0f} tokens/s ({train_s / a.steps * 1000:.1f} ms/step over {a.steps} steps; median step {train_median_tps:,.0f} tokens/s), peak RSS {train_rss_mb:.0f} MB")
    print(f"forward only:               {fwd_tps:,.0f} tokens/s ({fwd_s / a.forward_steps * 1000:.1f} ms/step over {a.forward_steps} steps; median step {fwd_median_tps:,.0f} tokens/s)")
    print(json.dumps({
        "bench": "torch",
        "params": n_params,
        "batch_tokens": batch_tokens,
        "threads": a.threads,
        "omp_wait_policy": wait_policy,
        "train_tokens_per_s": round(train_tps, 1),
        "forward_tokens_per_s": round(fwd_tps, 1),
        "train_median_tokens_per_s": round(train_median_tps, 1),
        "forward_median_tokens_per_s": round(fwd_median_tps, 1),
        "peak_rss_mb": round(peak_rss_mb, 1),
        "train_peak_rss_mb": round(train_rss_mb, 1),
        "blas": blas,
        "blas_libraries": libs,
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
