"""Shared parts of the scikit-learn reference for `ml-chatops keywords`.

Recipe steps e-g (term filter, TF-IDF, top-k) written independently of the TypeScript code, so
the golden test compares two implementations. A tokenizing front end (MeCab, issue 3) runs
`text_recipe.preprocess_document` (steps a-c), tokenizes and filters parts of speech (step d),
and hands the token lists to `keywords_from_tokens`.

Run with Debian's interpreter: /usr/bin/python3 (apt-get install -y python3-sklearn).
"""

import json
import re
import sys
import unicodedata

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer


from jsonl_input import ReferenceError_, read_jsonl  # noqa: E402,F401  (re-exported for the other scripts)


def read_pretokenized(path):
    """[(id, [token, ...]), ...] from `{"id","tokens"}` lines."""
    docs = []
    for number, obj in read_jsonl(path, {"id": str, "tokens": list}):
        tokens = obj["tokens"]
        if not all(isinstance(t, str) for t in tokens):
            raise ReferenceError_(f"{path}:{number}: every token must be a string")
        docs.append((obj["id"], tokens))
    return docs


def parse_doc_frequency(text):
    """scikit-learn's reading: an int is a document count, a float a share of documents."""
    if re.fullmatch(r"[0-9]+", text):
        return int(text)
    return float(text)


def has_letter_or_digit(term):
    return any(unicodedata.category(ch)[0] in ("L", "N") for ch in term)


def keep_term(term, stop_words):
    """Step e: some letter or digit, not a lone ASCII character, not a stop word."""
    if not has_letter_or_digit(term):
        return False
    if len(term) == 1 and ord(term) < 128:
        return False
    return term not in stop_words


def stop_word_set(extra):
    return frozenset(ENGLISH_STOP_WORDS) | frozenset(extra)


def identity(tokens):
    return tokens


def tfidf_rows(token_lists, max_df, min_df, sublinear_tf, norm, use_idf, smooth_idf):
    """Step f with TfidfVectorizer on token lists; one {term: score} dict per document."""
    vectorizer = TfidfVectorizer(
        analyzer=identity,
        lowercase=False,
        max_df=max_df,
        min_df=min_df,
        sublinear_tf=sublinear_tf,
        norm=None if norm == "none" else norm,
        use_idf=use_idf,
        smooth_idf=smooth_idf,
        dtype=np.float64,
    )
    try:
        matrix = vectorizer.fit_transform(token_lists).tocsr()
    except ValueError as exc:
        raise ReferenceError_(str(exc)) from exc
    names = vectorizer.get_feature_names_out()
    rows = []
    for i in range(matrix.shape[0]):
        start, end = matrix.indptr[i], matrix.indptr[i + 1]
        rows.append({str(names[j]): float(v) for j, v in zip(matrix.indices[start:end], matrix.data[start:end])})
    return rows


def top_k(row, k):
    """Step g: score descending, ties by term (Python compares strings by code point)."""
    ranked = sorted(row.items(), key=lambda item: (-item[1], item[0]))
    return [{"term": term, "score": score} for term, score in ranked[:k]]


def keywords_from_tokens(docs, params):
    """Steps e-g for [(id, tokens)]; returns the `ml-chatops keywords` JSON object."""
    stop_words = stop_word_set(params["extra_stop_words"])
    token_lists = [[t for t in tokens if keep_term(t, stop_words)] for _, tokens in docs]
    rows = tfidf_rows(
        token_lists,
        params["max_df"],
        params["min_df"],
        params["sublinear_tf"],
        params["norm"],
        params["use_idf"],
        params["smooth_idf"],
    )
    return {
        "documents": [{"id": doc_id, "keywords": top_k(row, params["top"])} for (doc_id, _), row in zip(docs, rows)]
    }


def add_parameter_arguments(parser):
    """The TF-IDF options, spelled as `ml-chatops keywords` spells them."""
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--max-df", type=parse_doc_frequency, default=0.5)
    parser.add_argument("--min-df", type=parse_doc_frequency, default=1)
    parser.add_argument("--sublinear-tf", action="store_true")
    parser.add_argument("--norm", choices=["l1", "l2", "none"], default="l2")
    parser.add_argument("--no-idf", action="store_true")
    parser.add_argument("--no-smooth-idf", action="store_true")
    parser.add_argument("--stop-words", help="extra stop words, one per line")


def parameters_from(args):
    extra = []
    if args.stop_words:
        with open(args.stop_words, encoding="utf-8") as fh:
            extra = [line.strip() for line in fh if line.strip()]
    return {
        "top": args.top,
        "max_df": args.max_df,
        "min_df": args.min_df,
        "sublinear_tf": args.sublinear_tf,
        "norm": args.norm,
        "use_idf": not args.no_idf,
        "smooth_idf": not args.no_smooth_idf,
        "extra_stop_words": extra,
    }


def print_result(result):
    sys.stdout.write(json.dumps(result, ensure_ascii=False, separators=(",", ":")) + "\n")
