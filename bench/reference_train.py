#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reference: the SeqLens sequence model written in Python with PyTorch, trained on the
encoded data that `seqlens-bench --dump DIR` writes, with the same batch size, threads,
optimizer, loss, gradient clipping and dynamic padding. Prints JSON with sequences/s over
one epoch (first batch excluded as warm-up). Benchmark only; never a runtime dependency.

    python3 bench/reference_train.py DIR [--threads 2]
"""
import argparse
import json
import math
import time

import numpy as np
import torch
from torch import nn


class EncoderLayer(nn.Module):
    def __init__(self, d, heads, ff, dropout):
        super().__init__()
        self.heads = heads
        self.qkv, self.out = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.ff1, self.ff2 = nn.Linear(d, ff), nn.Linear(ff, d)
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, key_pad):
        B, T, D = x.shape
        dh = D // self.heads
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, dh).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-2, -1) / math.sqrt(dh)
        scores = scores.masked_fill(key_pad.view(B, 1, 1, T), float("-inf"))
        att = self.dropout(torch.softmax(scores, -1))
        ctx = (att @ v).transpose(1, 2).reshape(B, T, D)
        h = self.norm1(x + self.dropout(self.out(ctx)))
        return self.norm2(h + self.dropout(self.ff2(self.dropout(torch.relu(self.ff1(h))))))


class SeqNet(nn.Module):
    def __init__(self, meta):
        super().__init__()
        d, cards, fn = meta["emb_dim"], meta["cardinalities"], meta["num_num"]
        self.max_items = meta["max_items"]
        self.register_buffer("cat_offsets", torch.tensor(np.cumsum([0] + cards[:-1]), dtype=torch.int64))
        self.cat_embedding = nn.Embedding(sum(cards), d)
        self.num_weight = nn.Parameter(torch.randn(fn, d) * 0.5)
        self.num_state_embedding = nn.Embedding(fn * 3, d)
        self.register_buffer("num_base", torch.arange(fn) * 3)
        self.field_proj, self.field_score = nn.Linear(d, d), nn.Linear(d, 1, bias=False)
        self.position = nn.Embedding(self.max_items + 1, d)
        self.layers = nn.ModuleList([EncoderLayer(d, meta["heads"], 4 * d, meta["dropout"]) for _ in range(meta["layers"])])
        self.item_proj, self.item_score = nn.Linear(d, d), nn.Linear(d, 1, bias=False)
        self.empty_history = nn.Parameter(torch.zeros(d))
        self.hidden, self.dropout, self.out = nn.Linear(d + 1, d), nn.Dropout(meta["dropout"]), nn.Linear(d, 1)

    def forward(self, cat, num, num_state, pad, length):
        e = torch.cat([self.cat_embedding(cat + self.cat_offsets),
                       num.unsqueeze(-1) * self.num_weight + self.num_state_embedding(num_state + self.num_base)], 2)
        field_w = torch.softmax(self.field_score(torch.tanh(self.field_proj(e))).squeeze(-1), -1)
        x = (field_w.unsqueeze(-1) * e).sum(2)
        empty = length.eq(0)
        key_pad = pad.clone()
        key_pad[:, 0] &= ~empty
        T = x.shape[1]
        pos = (length.unsqueeze(1) - 1 - torch.arange(T).unsqueeze(0)).clamp(0, self.max_items)
        x = x + self.position(pos)
        for layer in self.layers:
            x = layer(x, key_pad)
        item_logits = self.item_score(torch.tanh(self.item_proj(x))).squeeze(-1).masked_fill(key_pad, float("-inf"))
        item_w = torch.softmax(item_logits, -1)
        pooled = (item_w.unsqueeze(-1) * x).sum(1)
        pooled = torch.where(empty.unsqueeze(1), self.empty_history.expand_as(pooled), pooled)
        length_feature = torch.log1p(length.float()).unsqueeze(1) / math.log1p(self.max_items)
        z = self.dropout(torch.relu(self.hidden(torch.cat([pooled, length_feature], 1))))
        return self.out(z).squeeze(1)


def collate(data, idx):
    cat, num, st, off, labels = data["cat"], data["num"], data["num_state"], data["offsets"], data["labels"]
    fc, fn = data["fc"], data["fn"]
    lengths = off[idx + 1] - off[idx]
    T = max(1, int(lengths.max()))
    B = len(idx)
    c = np.zeros((B, T, fc), dtype=np.int64)
    n = np.zeros((B, T, fn), dtype=np.float32)
    s = np.zeros((B, T, fn), dtype=np.int64)
    pad = np.ones((B, T), dtype=bool)
    for i, a in enumerate(idx):
        L, o = int(lengths[i]), int(off[a])
        c[i, :L] = cat[o:o + L]
        n[i, :L] = num[o:o + L]
        s[i, :L] = st[o:o + L]
        pad[i, :L] = False
    return (torch.from_numpy(c), torch.from_numpy(n), torch.from_numpy(s), torch.from_numpy(pad),
            torch.from_numpy(lengths.astype(np.int64)), torch.from_numpy(labels[idx]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(7)
    meta = json.load(open(f"{args.dir}/meta.json"))
    fc, fn = meta["num_cat"], meta["num_num"]
    data = {"fc": fc, "fn": fn,
            "cat": np.fromfile(f"{args.dir}/cat.i32", dtype=np.int32).reshape(-1, fc).astype(np.int64),
            "num": np.fromfile(f"{args.dir}/num.f32", dtype=np.float32).reshape(-1, fn),
            "num_state": np.fromfile(f"{args.dir}/num_state.u8", dtype=np.uint8).reshape(-1, fn).astype(np.int64),
            "offsets": np.fromfile(f"{args.dir}/offsets.i64", dtype=np.int64),
            "labels": np.fromfile(f"{args.dir}/labels.f32", dtype=np.float32)}
    train = np.nonzero(np.fromfile(f"{args.dir}/train.u8", dtype=np.uint8))[0]
    model = SeqNet(meta)
    opt = torch.optim.Adam(model.parameters(), lr=meta["learning_rate"])
    loss_fn = nn.BCEWithLogitsLoss(pos_weight=torch.tensor([1.0]))
    rng = np.random.default_rng(9)
    rng.shuffle(train)
    bs = meta["batch_size"]
    model.train()
    first = last = None
    seen = 0
    for b in range(0, len(train), bs):
        idx = train[b:b + bs]
        cat, num, st, pad, length, y = collate(data, idx)
        opt.zero_grad()
        loss = loss_fn(model(cat, num, st, pad, length), y)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), meta["grad_clip"])
        opt.step()
        loss.item()
        if first is None:
            first = time.perf_counter()
        else:
            seen += len(idx)
        last = time.perf_counter()
    print(json.dumps({"implementation": "python+pytorch " + torch.__version__, "threads": args.threads,
                      "batch_size": bs, "train_applicants": int(len(train)),
                      "sequences_per_second": seen / (last - first)}, indent=2))


if __name__ == "__main__":
    main()
