"""bench:train's peer: Python XGBoost (Debian python3-xgboost) training on the same float64 files.

Times DMatrix construction + xgb.train (what our side's `train` covers: binning + boosting) and
prints one JSON line: {"seconds", "auc", "trees"}.
"""
import argparse
import json
import time

import numpy as np
import xgboost as xgb
from sklearn.metrics import roc_auc_score

ap = argparse.ArgumentParser()
ap.add_argument("--x-train", required=True)
ap.add_argument("--y-train", required=True)
ap.add_argument("--x-test", required=True)
ap.add_argument("--y-test", required=True)
ap.add_argument("--cols", type=int, required=True)
ap.add_argument("--threads", type=int, required=True)
ap.add_argument("--params", required=True, help="JSON object of XGBoost parameters")
ap.add_argument("--rounds", type=int, required=True)
a = ap.parse_args()

x = np.fromfile(a.x_train, dtype="<f8").reshape(-1, a.cols)
y = np.fromfile(a.y_train, dtype="<f8")
params = json.loads(a.params)
params["nthread"] = a.threads
started = time.perf_counter()
dtrain = xgb.DMatrix(x, label=y, nthread=a.threads)
booster = xgb.train(params, dtrain, num_boost_round=a.rounds)
seconds = time.perf_counter() - started
xt = np.fromfile(a.x_test, dtype="<f8").reshape(-1, a.cols)
yt = np.fromfile(a.y_test, dtype="<f8")
auc = roc_auc_score(yt, booster.predict(xgb.DMatrix(xt, nthread=a.threads)))
print(json.dumps({"seconds": seconds, "auc": float(auc), "trees": a.rounds}))
