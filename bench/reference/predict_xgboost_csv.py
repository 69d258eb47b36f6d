"""bench:predict --whole-process peer: XGBoost's batch scoring as a user runs it, CSV in, CSV out,
timed from outside as a whole process (interpreter start-up and imports included): pandas reads
the headerless feature CSV, XGBoost loads the model and scores, pandas writes one prediction per
line. Prints one JSON line with the seconds of each stage.

usage: predict_xgboost_csv.py --model M.json --data X.csv --out pred.csv [--threads N]
"""
import time

t0 = time.perf_counter()
import argparse  # noqa: E402
import json  # noqa: E402

import pandas as pd  # noqa: E402
import xgboost as xgb  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--model", required=True)
ap.add_argument("--data", required=True)
ap.add_argument("--out", required=True)
ap.add_argument("--threads", type=int, default=0)
a = ap.parse_args()
times = {"imports": time.perf_counter() - t0}

t = time.perf_counter()
x = pd.read_csv(a.data, header=None, dtype="float64")
times["read"] = time.perf_counter() - t
t = time.perf_counter()
booster = xgb.Booster(model_file=a.model)
if a.threads > 0:
    booster.set_param({"nthread": a.threads})
times["load-model"] = time.perf_counter() - t
t = time.perf_counter()
p = booster.predict(xgb.DMatrix(x.values, nthread=a.threads if a.threads > 0 else -1))
times["score"] = time.perf_counter() - t
t = time.perf_counter()
pd.DataFrame(p).to_csv(a.out, header=False, index=False)
times["write"] = time.perf_counter() - t
print(json.dumps({"rows": len(p), "times": times}))
