"""A small classifier experiment, written the way an ml-chatops user writes one.

Trains a logistic regression on scikit-learn's bundled digits data set (no download) and writes
the ml-chatops result contract: accuracy, macro F1 and log-loss as metrics, and the confusion
matrix as a table.

Parameters arrive only as environment variables (ml-chatops validated them against the config
before the run was approved): ML_CHATOPS_PARAM_C, ML_CHATOPS_PARAM_MAX_ITER. Run it by hand with
the defaults: python3 train.py
"""

import json
import os
import sys
import warnings

from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, log_loss
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

RESULT_PATH = os.path.join("out", "result.json")


def param(name, default, cast):
    raw = os.environ.get(f"ML_CHATOPS_PARAM_{name}")
    if raw is None or raw == "":
        return default
    try:
        return cast(raw)
    except ValueError:
        sys.exit(f"train.py: ML_CHATOPS_PARAM_{name} must be a {cast.__name__}, got {raw!r}")


def main():
    c = param("C", 1.0, float)
    max_iter = param("MAX_ITER", 200, int)

    features, labels = load_digits(return_X_y=True)
    x_train, x_test, y_train, y_test = train_test_split(
        features, labels, test_size=0.25, random_state=0, stratify=labels
    )
    model = make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=max_iter))
    with warnings.catch_warnings():
        # A small max_iter is a legitimate (worse) experiment, not an error.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(x_train, y_train)
    predicted = model.predict(x_test)
    classes = [str(k) for k in model.classes_]
    matrix = confusion_matrix(y_test, predicted)

    result = {
        "metrics": {
            "accuracy": float(accuracy_score(y_test, predicted)),
            "f1_macro": float(f1_score(y_test, predicted, average="macro")),
            "log_loss": float(log_loss(y_test, model.predict_proba(x_test))),
        },
        "tables": [
            {
                "title": "confusion (rows: true digit, columns: predicted)",
                "columns": [""] + classes,
                "rows": [[label] + [int(n) for n in row] for label, row in zip(classes, matrix)],
            }
        ],
        "notes": f"LogisticRegression(C={c}, max_iter={max_iter}) on load_digits, "
        f"{len(y_train)} training and {len(y_test)} test images",
    }
    os.makedirs(os.path.dirname(RESULT_PATH), exist_ok=True)
    with open(RESULT_PATH, "w", encoding="utf-8") as out:
        json.dump(result, out, indent=2)
    print(f"accuracy {result['metrics']['accuracy']:.4f}, wrote {RESULT_PATH}")


if __name__ == "__main__":
    main()
