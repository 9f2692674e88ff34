#!/usr/bin/env python3
"""PyTorch CUDA baseline for Crucible's GPT training step (the GPU benchmark's reference point).

The identical model (see baseline.py's docstring and shared/model's README: byte vocabulary, learned
positions, pre-LN blocks, tanh-GELU MLP, tied head, weights stored (in, out)) trained with the same step:
mean cross-entropy, backward, global-norm clip 1.0, AdamW (betas 0.9/0.95, eps 1e-8, weight decay 0.1 on
2-D tensors only; torch's fused CUDA AdamW). Attention through scaled_dot_product_attention (causal).

    python3 gpu_baseline.py --n-layer 8 --n-embd 512 --n-head 8 --block-size 256 --runs fp32:16,fp32:64,tf32:16

Each run ("precision:batch", precision fp32 or tf32) prints one JSON line:
    {"torch": "...", "gpu": "...", "precision": "fp32", "batch": 16, "batch_tokens": 4096,
     "tokens_per_s": ..., "step_ms_median": ..., "max_mem_gb": ...}
"""
import argparse
import json
import math
import time

import torch
import torch.nn.functional as F

V = 256


def param_shapes(L, C, T):
    shapes = [("wte.weight", (V, C)), ("wpe.weight", (T, C))]
    for i in range(L):
        h = f"h.{i}."
        shapes += [
            (h + "ln_1.weight", (C,)), (h + "ln_1.bias", (C,)),
            (h + "attn.c_attn.weight", (C, 3 * C)), (h + "attn.c_attn.bias", (3 * C,)),
            (h + "attn.c_proj.weight", (C, C)), (h + "attn.c_proj.bias", (C,)),
            (h + "ln_2.weight", (C,)), (h + "ln_2.bias", (C,)),
            (h + "mlp.c_fc.weight", (C, 4 * C)), (h + "mlp.c_fc.bias", (4 * C,)),
            (h + "mlp.c_proj.weight", (4 * C, C)), (h + "mlp.c_proj.bias", (C,)),
        ]
    return shapes + [("ln_f.weight", (C,)), ("ln_f.bias", (C,))]


def make_params(L, C, T, device, gen):
    params = {}
    for name, shape in param_shapes(L, C, T):
        if name.endswith(".bias"):
            x = torch.zeros(shape)
        elif "ln_" in name:
            x = torch.ones(shape)
        else:
            std = 0.02 / math.sqrt(2 * L) if name.endswith("c_proj.weight") else 0.02
            x = torch.randn(shape, generator=gen) * std
        params[name] = torch.nn.Parameter(x.to(device))
    return params


def loss_of(p, tokens, targets, L, H):
    B, T = tokens.shape
    C = p["wte.weight"].shape[1]
    x = p["wte.weight"][tokens] + p["wpe.weight"][:T]  # (B,T,C)
    for i in range(L):
        h = f"h.{i}."
        a = F.layer_norm(x, (C,), p[h + "ln_1.weight"], p[h + "ln_1.bias"], 1e-5)
        qkv = torch.addmm(p[h + "attn.c_attn.bias"], a.view(B * T, C), p[h + "attn.c_attn.weight"])
        q, k, v = qkv.view(B, T, 3, H, C // H).permute(2, 0, 3, 1, 4)  # each (B,H,T,D)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(B * T, C)
        x = x + torch.addmm(p[h + "attn.c_proj.bias"], y, p[h + "attn.c_proj.weight"]).view(B, T, C)
        m = F.layer_norm(x, (C,), p[h + "ln_2.weight"], p[h + "ln_2.bias"], 1e-5)
        f = F.gelu(torch.addmm(p[h + "mlp.c_fc.bias"], m.view(B * T, C), p[h + "mlp.c_fc.weight"]), approximate="tanh")
        x = x + torch.addmm(p[h + "mlp.c_proj.bias"], f, p[h + "mlp.c_proj.weight"]).view(B, T, C)
    x = F.layer_norm(x, (C,), p["ln_f.weight"], p["ln_f.bias"], 1e-5)
    logits = x.view(B * T, C) @ p["wte.weight"].t()
    return F.cross_entropy(logits, targets.reshape(B * T))


def measure(a, precision, batch):
    L, C, H, T = a.n_layer, a.n_embd, a.n_head, a.block_size
    torch.backends.cuda.matmul.allow_tf32 = precision == "tf32"
    torch.backends.cudnn.allow_tf32 = precision == "tf32"
    gen = torch.Generator().manual_seed(0)
    p = make_params(L, C, T, "cuda", gen)
    opt = torch.optim.AdamW(
        [{"params": [x for x in p.values() if x.dim() == 2], "weight_decay": 0.1},
         {"params": [x for x in p.values() if x.dim() != 2], "weight_decay": 0.0}],
        lr=1e-3, betas=(0.9, 0.95), eps=1e-8, fused=True)
    data = torch.randint(0, V, (a.warmup + a.steps, batch, T + 1), generator=gen).cuda()
    torch.cuda.reset_peak_memory_stats()
    times = []
    for i in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = loss_of(p, data[i, :, :-1], data[i, :, 1:], L, H)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(p.values()), 1.0)
        opt.step()
        torch.cuda.synchronize()
        if i >= a.warmup:
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    median = times[len(times) // 2]
    return {"torch": torch.__version__, "gpu": torch.cuda.get_device_name(0), "precision": precision, "batch": batch,
            "batch_tokens": batch * T, "tokens_per_s": round(batch * T * 1000 / median), "step_ms_median": round(median, 3),
            "max_mem_gb": round(torch.cuda.max_memory_allocated() / 2**30, 2), "final_loss": loss.item()}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--n-layer", type=int, default=8)
    ap.add_argument("--n-embd", type=int, default=512)
    ap.add_argument("--n-head", type=int, default=8)
    ap.add_argument("--block-size", type=int, default=256)
    ap.add_argument("--runs", default="fp32:16,fp32:64,tf32:16,tf32:64")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=5)
    args = ap.parse_args()
    for spec in args.runs.split(","):
        precision, batch = spec.split(":")
        try:
            result = measure(args, precision, int(batch))
        except Exception as e:  # one failed run must not lose the others
            result = {"precision": precision, "batch": int(batch), "error": repr(e)[:300]}
        print(json.dumps(result), flush=True)
