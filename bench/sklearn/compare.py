#!/usr/bin/env python3
"""Reference fits with scikit-learn for test/families/sklearn.test.ts and bench/families.ts.

Reads one JSON request on stdin: {"X": [[...], ...], "y": [...], "train": [row indices], "test": [row
indices], "tasks": [...]} where each task is
  {"kind": "linear"} | {"kind": "ridge", "alpha": a, "standardize": bool}
  | {"kind": "forest" | "boosting", "params": {...sklearn keyword arguments...}, "seeds": [...]}
and writes {"results": [...]} with coefficients (linear, ridge) or holdout R² per seed and training
seconds (forest, boosting; single-threaded, n_jobs=1).
"""
import json
import sys
import time

import numpy as np
from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.metrics import r2_score

req = json.load(sys.stdin)
X = np.asarray(req["X"], dtype=float)
y = np.asarray(req["y"], dtype=float)
train = np.asarray(req["train"], dtype=int)
test = np.asarray(req["test"], dtype=int)
out = []
for task in req["tasks"]:
    kind = task["kind"]
    if kind in ("linear", "ridge"):
        Xt = X[train]
        if kind == "linear":
            m = LinearRegression().fit(Xt, y[train])
            out.append({"intercept": float(m.intercept_), "coef": m.coef_.tolist()})
        else:
            if task.get("standardize"):
                mean, sd = Xt.mean(axis=0), Xt.std(axis=0)
                m = Ridge(alpha=task["alpha"]).fit((Xt - mean) / sd, y[train])
                coef = m.coef_ / sd
                out.append({"intercept": float(m.intercept_ - (mean * coef).sum()), "coef": coef.tolist()})
            else:
                m = Ridge(alpha=task["alpha"]).fit(Xt, y[train])
                out.append({"intercept": float(m.intercept_), "coef": m.coef_.tolist()})
    else:
        cls = RandomForestRegressor if kind == "forest" else GradientBoostingRegressor
        r2, seconds = [], []
        for seed in task["seeds"]:
            params = dict(task["params"])
            if kind == "forest":
                params["n_jobs"] = 1
            m = cls(random_state=seed, **params)
            t0 = time.perf_counter()
            m.fit(X[train], y[train])
            seconds.append(time.perf_counter() - t0)
            r2.append(float(r2_score(y[test], m.predict(X[test]))))
        out.append({"r2": r2, "seconds": seconds})
json.dump({"results": out, "sklearn": __import__("sklearn").__version__}, sys.stdout)
