#!/usr/bin/python3
"""scikit-learn reference for `ml-chatops keywords --pretokenized`.

    /usr/bin/python3 scripts/reference/tfidf_reference.py --pretokenized tokens.jsonl [--top 10]
        [--max-df 0.5] [--min-df 1] [--sublinear-tf] [--norm l1|l2|none] [--no-idf]
        [--no-smooth-idf] [--stop-words FILE]

Prints the same JSON as `ml-chatops keywords`. Needs Debian's python3-sklearn (the `python3` on
PATH may be another interpreter without it).

    /usr/bin/python3 scripts/reference/tfidf_reference.py --batch < runs.jsonl

runs several parameter sets in one process (importing scikit-learn takes over a second): each
input line is a JSON array of the arguments above; each output line is the result, or
{"error": "..."} for a run scikit-learn refuses.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from keywords_common import (  # noqa: E402
    ReferenceError_,
    add_parameter_arguments,
    keywords_from_tokens,
    parameters_from,
    print_result,
    read_pretokenized,
)


def make_parser():
    parser = argparse.ArgumentParser(prog="tfidf_reference.py", description=__doc__.split("\n")[0])
    parser.add_argument("--pretokenized", help='JSON Lines, {"id","tokens":[...]} per line')
    add_parameter_arguments(parser)
    return parser


def run_once(parser, argv):
    args = parser.parse_args(argv)
    if not args.pretokenized:
        raise ReferenceError_("--pretokenized FILE is required")
    return keywords_from_tokens(read_pretokenized(args.pretokenized), parameters_from(args))


def run_batch(parser):
    for raw in sys.stdin:
        if not raw.strip():
            continue
        argv = json.loads(raw)
        try:
            print_result(run_once(parser, argv))
        except ReferenceError_ as exc:
            print_result({"error": str(exc)})
        sys.stdout.flush()
    return 0


def main(argv):
    parser = make_parser()
    if argv == ["--batch"]:
        return run_batch(parser)
    try:
        print_result(run_once(parser, argv))
    except ReferenceError_ as exc:
        sys.stderr.write(f"tfidf_reference.py: {exc}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
