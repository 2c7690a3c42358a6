"""SciPy SLSQP on the same Hill budget problems as bench/optimize.ts (reads JSON on stdin, writes JSON).

Each problem: {"beta": [...], "k": [...], "shape": [...], "budget": B, "start": [...], "lo": [...], "hi": [...]}.
Maximizes sum beta/(1 + (k/s)^shape) s.t. sum s = B, lo <= s <= hi, from `start` (the reference mix),
with the analytic gradient. Reports the objective and the solver's wall time (Python start-up excluded).
"""
import json
import sys
import time

import numpy as np
from scipy.optimize import minimize


def solve(p):
    beta, k, shape = (np.asarray(p[name], float) for name in ("beta", "k", "shape"))
    budget = float(p["budget"])

    def value(s):
        s = np.maximum(s, 1e-300)
        return float(np.sum(beta / (1.0 + (k / s) ** shape)))

    def grad(s):
        s = np.maximum(s, 1e-300)
        r = (k / s) ** shape
        return beta * shape * r / (s * (1.0 + r) ** 2)

    t0 = time.perf_counter()
    res = minimize(lambda s: -value(s), np.asarray(p["start"], float), jac=lambda s: -grad(s), method="SLSQP",
                   bounds=list(zip(p["lo"], p["hi"])),
                   constraints=[{"type": "eq", "fun": lambda s: np.sum(s) - budget, "jac": lambda s: np.ones_like(s)}],
                   options={"maxiter": 500, "ftol": 1e-12})
    seconds = time.perf_counter() - t0
    s = np.clip(res.x, p["lo"], p["hi"])
    return {"objective": value(s), "seconds": seconds, "iterations": int(res.nit), "success": bool(res.success),
            "sumError": float(abs(np.sum(res.x) - budget))}


if __name__ == "__main__":
    problems = json.load(sys.stdin)
    json.dump([solve(p) for p in problems], sys.stdout)
