#!/usr/bin/python3
"""MeCab + scikit-learn reference for `ml-chatops keywords --input`: the default recipe end to end.

    /usr/bin/python3 scripts/reference/mecab_reference.py --input corpus.jsonl [--top 10]
        [--max-df 0.5] [--min-df 1] [--sublinear-tf] [--norm l1|l2|none] [--no-idf]
        [--no-smooth-idf] [--stop-words FILE] [--dicdir DIR]

prints the same JSON as `ml-chatops keywords`.

    /usr/bin/python3 scripts/reference/mecab_reference.py --input corpus.jsonl --dump-tokens

prints instead, per document, `{"id": ..., "tokens": [...]}`: the terms after step d, the
`--pretokenized` format, so `ml-chatops keywords --pretokenized` and tfidf_reference.py can be
compared on identical tokens. This mode does not import scikit-learn.

    /usr/bin/python3 scripts/reference/mecab_reference.py --line-terms < lines.jsonl

reads one JSON string per line (a line already through steps a-c) and prints, per line, the JSON
array of its terms after step d, for line-by-line comparisons.

Steps a-c come from text_recipe.py. Step d: MeCab with IPADIC (Debian mecab-ipadic-utf8, the
dictionary directory given explicitly so another system default cannot slip in), one line at a
time as the mecab command reads its input; particles, auxiliary verbs, symbols and dependent verbs
dropped; the term is the base form, or the surface where the base form is `*`. Steps e-g come
from keywords_common.py.

Needs Debian's python3-mecab, mecab-ipadic-utf8 and python3-sklearn; run it with /usr/bin/python3.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from jsonl_input import ReferenceError_, read_jsonl  # noqa: E402
from text_recipe import preprocess_document  # noqa: E402

DEFAULT_DICDIR = "/var/lib/mecab/dic/ipadic-utf8"
DROPPED_POS = ("助詞", "助動詞", "記号")


class InputError(Exception):
    """A data problem, reported as one line on stderr."""


def read_corpus(path):
    """[(id, title, text)] from `{"id","title","text"}` lines; blank lines skipped."""
    fields = {"id": str, "title": str, "text": str}
    return [(obj["id"], obj["title"], obj["text"]) for _, obj in read_jsonl(path, fields)]


def dropped(features):
    pos = features[0]
    detail1 = features[1] if len(features) > 1 else "*"
    return pos in DROPPED_POS or (pos == "動詞" and detail1 == "非自立")


def line_terms(tagger, line):
    """Step d for one line: MeCab's morphemes to terms."""
    terms = []
    parsed = tagger.parse(line)
    if parsed is None:
        # MeCab gives no parse for very long lines (here: from about 1.6 MB of UTF-8 in one line).
        raise InputError(f"MeCab could not parse a line of {len(line.encode('utf-8'))} bytes")
    for row in parsed.split("\n"):
        if row == "EOS" or row == "":
            continue
        surface, _, feature_csv = row.partition("\t")
        features = feature_csv.split(",")
        if dropped(features):
            continue
        base = features[6] if len(features) > 6 else "*"
        terms.append(surface if base == "*" else base)
    return terms


def document_terms(tagger, title, text):
    terms = []
    for line in preprocess_document(title, text).split("\n"):
        if line.strip():
            terms.extend(line_terms(tagger, line))
    return terms


def make_tagger(dicdir):
    import MeCab

    if not os.path.isdir(dicdir):
        raise InputError(f"MeCab dictionary directory not found: {dicdir} (apt-get install mecab-ipadic-utf8)")
    # An empty mecabrc keeps the system's default dictionary setting out of the picture.
    return MeCab.Tagger(f"-r /dev/null -d {dicdir}")


def make_parser():
    from keywords_common import add_parameter_arguments

    parser = argparse.ArgumentParser(prog="mecab_reference.py", description=__doc__.split("\n")[0])
    parser.add_argument("--input", required=True, help='JSON Lines, {"id","title","text"} per line')
    parser.add_argument("--dump-tokens", action="store_true", help="print the terms after step d instead")
    parser.add_argument("--dicdir", default=DEFAULT_DICDIR)
    add_parameter_arguments(parser)
    return parser


def print_line_terms(tagger):
    out = sys.stdout
    for raw in sys.stdin:
        if raw.strip():
            out.write(json.dumps(line_terms(tagger, json.loads(raw)), ensure_ascii=False) + "\n")
    return 0


def main(argv):
    if "--line-terms" in argv:
        parser = argparse.ArgumentParser(prog="mecab_reference.py")
        parser.add_argument("--line-terms", action="store_true")
        parser.add_argument("--dicdir", default=DEFAULT_DICDIR)
        args = parser.parse_args(argv)
        try:
            return print_line_terms(make_tagger(args.dicdir))
        except InputError as exc:
            sys.stderr.write(f"mecab_reference.py: {exc}\n")
            return 1
    # keywords_common imports scikit-learn (over a second); the token dump does not need it.
    dump_only = "--dump-tokens" in argv
    if dump_only:
        parser = argparse.ArgumentParser(prog="mecab_reference.py")
        parser.add_argument("--input", required=True)
        parser.add_argument("--dump-tokens", action="store_true")
        parser.add_argument("--dicdir", default=DEFAULT_DICDIR)
        args, _ = parser.parse_known_args(argv)
    else:
        parser = make_parser()
        args = parser.parse_args(argv)
    try:
        tagger = make_tagger(args.dicdir)
        docs = [(doc_id, document_terms(tagger, title, text)) for doc_id, title, text in read_corpus(args.input)]
        if dump_only:
            out = sys.stdout
            for doc_id, terms in docs:
                out.write(json.dumps({"id": doc_id, "tokens": terms}, ensure_ascii=False) + "\n")
            return 0
        from keywords_common import keywords_from_tokens, parameters_from, print_result

        print_result(keywords_from_tokens(docs, parameters_from(args)))
    except (InputError, ReferenceError_, OSError) as exc:
        sys.stderr.write(f"mecab_reference.py: {exc}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
