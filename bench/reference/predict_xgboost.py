"""bench:predict's peer: Python XGBoost (Debian python3-xgboost) scoring the same float64 test rows
with the same model file. Times DMatrix construction + predict (what our side's scoring covers:
taking the rows in + scoring) and prints one JSON line: {"seconds", "rowsPerSecond", "auc"}.
"""
import argparse
import json
import time

import numpy as np
import xgboost as xgb
from sklearn.metrics import roc_auc_score

ap = argparse.ArgumentParser()
ap.add_argument("--model", required=True)
ap.add_argument("--x-test", required=True)
ap.add_argument("--y-test", required=True)
ap.add_argument("--cols", type=int, required=True)
ap.add_argument("--threads", type=int, required=True)
a = ap.parse_args()

xt = np.fromfile(a.x_test, dtype="<f8").reshape(-1, a.cols)
yt = np.fromfile(a.y_test, dtype="<f8")
started = time.perf_counter()
booster = xgb.Booster(model_file=a.model)
booster.set_param({"nthread": a.threads})
load_seconds = time.perf_counter() - started
started = time.perf_counter()
p = booster.predict(xgb.DMatrix(xt, nthread=a.threads))
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "rowsPerSecond": len(yt) / seconds, "loadSeconds": load_seconds, "auc": float(roc_auc_score(yt, p))}))
