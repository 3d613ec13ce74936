"""Reading JSON Lines input for the reference scripts, without importing scikit-learn (the
MeCab token dump runs without it)."""

import json


class ReferenceError_(Exception):
    """A data or parameter problem, reported as one line on stderr."""


def read_jsonl(path, required):
    """Yields (line_number, object) for each non-blank line; checks the required string fields."""
    with open(path, encoding="utf-8") as fh:
        for number, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise ReferenceError_(f"{path}:{number}: not valid JSON ({exc.msg})") from exc
            if not isinstance(obj, dict):
                raise ReferenceError_(f"{path}:{number}: line must be a JSON object")
            for field, kind in required.items():
                if not isinstance(obj.get(field), kind):
                    raise ReferenceError_(f"{path}:{number}: field {field!r} has the wrong type")
            yield number, obj
