#!/usr/bin/python3
"""The Python reference pipeline (pandas + scikit-learn + XGBoost), for side-by-side benchmarks.

Reproduces the behaviour of the seed tutorial's seven steps as described in
shared/docs/reference-pipeline.md, in one process, so `npm run bench:pipeline` can time
it next to ours on the same machine. oneDAL (daal4py) is not packaged in Debian, so the
inference step scores with XGBoost itself. Prints one JSON line with metrics and timings.

usage: loan_default_reference.py --data CSV [--data-size N] [--threads N] [--seed N] [--out DIR]
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.metrics import accuracy_score, classification_report, roc_auc_score, roc_curve
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, PowerTransformer


def augment(data, data_size, rng):
    n = len(data)
    if data_size < n:
        return data
    k = data_size // n + 1
    rep = data.loc[data.index.repeat(k)].reset_index(drop=True)
    m = len(rep)
    rep["person_age"] = rep["person_age"] + rng.integers(-1, 1, m)
    rep["person_income"] = rep["person_income"] + rng.normal(0, 10, m)
    rep["person_emp_length"] = rep["person_emp_length"] + rng.integers(-1, 1, m)
    rep["loan_amnt"] = rep["loan_amnt"] + rng.normal(0, 5, m)
    rep["loan_int_rate"] = rep["loan_int_rate"] + rng.normal(0, 0.2, m)
    rep["loan_percent_income"] = rep["loan_percent_income"] + rng.integers(0, 100, m) / 1000
    rep["cb_person_cred_hist_length"] = rep["cb_person_cred_hist_length"] + rng.integers(0, 2, m)
    for col in ["person_home_ownership", "loan_intent", "loan_grade", "cb_person_default_on_file"]:
        values = data[col].unique()
        mask = rng.random(m) < 0.1
        rep.loc[mask, col] = rng.choice(values, mask.sum())
    rep = rep.drop_duplicates()
    return rep.iloc[:data_size].reset_index(drop=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--data-size", type=int, default=0)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    times = {}
    t0 = time.perf_counter()

    t = time.perf_counter()
    data = pd.read_csv(a.data)
    if a.data_size > 0:
        data = augment(data, a.data_size, np.random.default_rng(a.seed))
    times["load-data"] = time.perf_counter() - t

    t = time.perf_counter()
    y = data["loan_status"]
    X = data.drop(["loan_status"], axis=1)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
    times["create-train-test-set"] = time.perf_counter() - t

    t = time.perf_counter()
    num_imputer = Pipeline(steps=[("imputer", SimpleImputer(strategy="median"))])
    pow_transformer = PowerTransformer()
    cat_transformer = OneHotEncoder(handle_unknown="ignore")
    pre = ColumnTransformer(
        transformers=[
            ("num", num_imputer, ["loan_int_rate", "person_emp_length", "cb_person_cred_hist_length"]),
            ("pow", pow_transformer, ["person_age", "person_income", "loan_amnt", "loan_percent_income"]),
            ("cat", cat_transformer, ["person_home_ownership", "loan_intent", "loan_grade", "cb_person_default_on_file"]),
        ],
        remainder="passthrough",
    )
    Xtr = pre.fit_transform(X_train)
    Xte = pre.transform(X_test)
    Xtr = Xtr.toarray() if hasattr(Xtr, "toarray") else Xtr
    Xte = Xte.toarray() if hasattr(Xte, "toarray") else Xte
    times["preprocess-features"] = time.perf_counter() - t

    t = time.perf_counter()
    params = {"objective": "binary:logistic", "eval_metric": "logloss", "nthread": a.threads,
              "tree_method": "hist", "learning_rate": 0.02, "max_depth": 10, "min_child_weight": 6,
              "verbosity": 0}
    booster = xgb.train(params=params, dtrain=xgb.DMatrix(Xtr, y_train.values), num_boost_round=500)
    times["train-model"] = time.perf_counter() - t

    t = time.perf_counter()
    prob = booster.predict(xgb.DMatrix(Xte))
    pred = (prob > 0.5).astype(int)
    report = pd.DataFrame(classification_report(y_test, pred, target_names=["Non-Default", "Default"], output_dict=True)).transpose()
    auc = roc_auc_score(y_test, prob)
    acc = accuracy_score(y_test, pred) * 100
    times["batch-inference"] = time.perf_counter() - t

    t = time.perf_counter()
    fpr, tpr, thr = roc_curve(y_test, prob, pos_label=1)
    times["plot-roc-curve"] = time.perf_counter() - t

    if a.out:
        os.makedirs(a.out, exist_ok=True)
        report.to_csv(os.path.join(a.out, "report.csv"))
        booster.save_model(os.path.join(a.out, "model.json"))
    times["total"] = time.perf_counter() - t0
    print(json.dumps({"rows": len(data), "AUC": auc, "Accuracy": acc, "rocPoints": len(fpr), "times": times}))


if __name__ == "__main__":
    sys.exit(main())
