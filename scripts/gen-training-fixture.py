"""Writes tests/fixtures/training.json: an end-to-end PyTorch training run on the bundled digits
(64-32-10 ReLU MLP, He-normal init, Adam lr 1e-2, batch 32, cross-entropy) for 3 epochs with
recorded initial weights, split and batch orders, so the test can replay the identical run and
compare per-epoch losses and held-out accuracy.

Run with Debian's PyTorch:  /usr/bin/python3 scripts/gen-training-fixture.py
"""
import gzip
import json
import os

import numpy as np
import torch
import torch.nn as nn

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
EPOCHS = 3

torch.set_num_threads(1)
torch.manual_seed(4)
raw = np.loadtxt(gzip.open(os.path.join(ROOT, "data", "digits.csv.gz"), "rt"), delimiter=",")
X = torch.tensor(raw[:, :64] / 16, dtype=torch.float32)
Y = torch.tensor(raw[:, 64], dtype=torch.long)
perm = torch.randperm(len(X))
n_test = round(0.2 * len(X))
test_idx, train_idx = perm[:n_test], perm[n_test:]

model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
for layer in model:
    if isinstance(layer, nn.Linear):
        nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
        nn.init.zeros_(layer.bias)
state = {k: {"shape": list(v.shape), "dtype": "float32", "data": v.flatten().tolist()} for k, v in model.state_dict().items()}
orders = [train_idx[torch.randperm(len(train_idx))].tolist() for _ in range(EPOCHS)]

opt = torch.optim.Adam(model.parameters(), lr=1e-2)
losses = []
for epoch in range(EPOCHS):
    order = torch.tensor(orders[epoch])
    total = 0.0
    for s in range(0, len(order), 32):
        idx = order[s:s + 32]
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(X[idx]), Y[idx])
        loss.backward()
        opt.step()
        total += loss.item() * len(idx)
    losses.append(total / len(order))
with torch.no_grad():
    acc = (model(X[test_idx]).argmax(1) == Y[test_idx]).float().mean().item()

out = {
    "torch": torch.__version__,
    "cases": [{
        "name": "digits-mlp-adam-3-epochs",
        "initialState": state,
        "testIndices": test_idx.tolist(),
        "epochOrders": orders,
        "batchSize": 32,
        "lr": 1e-2,
        "epochLosses": losses,
        "testAccuracy": acc,
    }],
}
with open(os.path.join(ROOT, "tests", "fixtures", "training.json"), "w") as f:
    json.dump(out, f)
print("wrote tests/fixtures/training.json", losses, acc)
