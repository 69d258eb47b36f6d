"""bench:explain's peer: Python XGBoost (Debian python3-xgboost) TreeSHAP, predict(pred_contribs=True),
on the first --rows float64 test rows with the same model file. Writes the contributions as
float64 to --out and prints one JSON line: {"seconds", "loadSeconds"}.
"""
import argparse
import json
import time

import numpy as np
import xgboost as xgb

ap = argparse.ArgumentParser()
ap.add_argument("--model", required=True)
ap.add_argument("--x-test", required=True)
ap.add_argument("--cols", type=int, required=True)
ap.add_argument("--rows", type=int, required=True)
ap.add_argument("--threads", type=int, required=True)
ap.add_argument("--out", required=True)
a = ap.parse_args()

xt = np.fromfile(a.x_test, dtype="<f8", count=a.rows * a.cols).reshape(-1, a.cols)
started = time.perf_counter()
booster = xgb.Booster(model_file=a.model)
booster.set_param({"nthread": a.threads})
load_seconds = time.perf_counter() - started
started = time.perf_counter()
contribs = booster.predict(xgb.DMatrix(xt, nthread=a.threads), pred_contribs=True)
seconds = time.perf_counter() - started
contribs.astype("<f8").tofile(a.out)
print(json.dumps({"seconds": seconds, "loadSeconds": load_seconds}))
