#!/usr/bin/python3
"""scikit-learn reference for `ml-chatops keywords --pretokenized`.

    /usr/bin/python3 scripts/reference/tfidf_reference.py --pretokenized tokens.jsonl [--top 10]
        [--max-df 0.5] [--min-df 1] [--sublinear-tf] [--norm l1|l2|none] [--no-idf]
        [--no-smooth-idf] [--stop-words FILE]

Prints the same JSON as `ml-chatops keywords`. Needs Debian's python3-sklearn (the `python3` on
PATH may be another interpreter without it).
"""

import argparse
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


def main(argv):
    parser = argparse.ArgumentParser(prog="tfidf_reference.py", description=__doc__.split("\n")[0])
    parser.add_argument("--pretokenized", required=True, help='JSON Lines, {"id","tokens":[...]} per line')
    add_parameter_arguments(parser)
    args = parser.parse_args(argv)
    try:
        print_result(keywords_from_tokens(read_pretokenized(args.pretokenized), parameters_from(args)))
    except ReferenceError_ as exc:
        sys.stderr.write(f"tfidf_reference.py: {exc}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
