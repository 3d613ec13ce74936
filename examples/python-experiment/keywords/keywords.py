"""TF-IDF keywords of a small corpus, written the way an ml-chatops user writes the experiment.

MeCab splits the Japanese (and English) text into words; nouns are kept; scikit-learn's
TfidfVectorizer weighs them; the top terms of each document become the result's `rankings`,
which ml-chatops compares with the current best term by term.

Parameters arrive only as environment variables (validated by ml-chatops against the config
before the run was approved): ML_CHATOPS_PARAM_TOP, _MAX_DF, _MIN_DF, _SUBLINEAR_TF.
Run it by hand with the defaults: python3 keywords.py
"""

import json
import os
import sys

import MeCab
from sklearn.feature_extraction.text import TfidfVectorizer

CORPUS = os.path.join("corpus", "abstracts.jsonl")
RESULT_PATH = os.path.join("out", "result.json")


def param(name, default, cast):
    raw = os.environ.get(f"ML_CHATOPS_PARAM_{name}")
    if raw is None or raw == "":
        return default
    try:
        return cast(raw)
    except ValueError:
        sys.exit(f"keywords.py: ML_CHATOPS_PARAM_{name} must be a {cast.__name__}, got {raw!r}")


def read_corpus(path):
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def nouns(tagger, text):
    """Surface forms of the nouns MeCab finds (numbers and lone symbols left out)."""
    words = []
    node = tagger.parseToNode(text)
    while node:
        pos = node.feature.split(",")
        if pos[0] == "名詞" and pos[1] not in ("数", "非自立", "代名詞") and len(node.surface) > 1:
            words.append(node.surface.lower())
        node = node.next
    return words


def main():
    top = param("TOP", 5, int)
    max_df = param("MAX_DF", 0.5, float)
    min_df = param("MIN_DF", 1, int)
    sublinear_tf = param("SUBLINEAR_TF", "false", str) == "true"

    docs = read_corpus(CORPUS)
    tagger = MeCab.Tagger("")
    vectorizer = TfidfVectorizer(
        analyzer=lambda doc: nouns(tagger, doc["title"] + "\n" + doc["text"]),
        max_df=max_df,
        min_df=min_df,
        sublinear_tf=sublinear_tf,
    )
    matrix = vectorizer.fit_transform(docs).tocsr()
    terms = vectorizer.get_feature_names_out()

    keywords = {}
    for i, doc in enumerate(docs):
        row = matrix.getrow(i)
        scored = sorted(zip(row.indices, row.data), key=lambda item: (-item[1], terms[item[0]]))
        keywords[doc["id"]] = [{"term": str(terms[j]), "score": round(float(s), 6)} for j, s in scored[:top]]

    os.makedirs(os.path.dirname(RESULT_PATH), exist_ok=True)
    with open(RESULT_PATH, "w", encoding="utf-8") as out:
        json.dump({"rankings": {"keywords": keywords}}, out, ensure_ascii=False, indent=2)
    print(f"{len(docs)} documents, {len(terms)} terms, wrote {RESULT_PATH}")


if __name__ == "__main__":
    main()
