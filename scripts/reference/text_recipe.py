"""Steps a-c of the keyword recipe in Python (normalisation before tokenizing).

Kept next to the TF-IDF reference so a MeCab-based reference (issue 3) can run the whole recipe:
    text = preprocess_document(title, text)  ->  MeCab  ->  keywords_common.keywords_from_tokens

    /usr/bin/python3 scripts/reference/text_recipe.py corpus.jsonl
prints, for each document, one JSON string: the text handed to the tokenizer.
"""

import json
import re
import sys
import unicodedata

MARKDOWN_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
URL = re.compile(r"https?://\S+")
# Line starts are the string start and after "\n" only.
LINE_MARKER = re.compile(r"(?:(?<=\n)|^)([ \t]*)(?:[-*+]|#{1,6}|[0-9]+\.)[ \t]+")
ASCII_DIGITS = re.compile(r"[0-9]+")


def to_document_text(title, text):
    """Step a: title + newline + text, Unicode NFKC."""
    return unicodedata.normalize("NFKC", title + "\n" + text)


def strip_markup(text):
    """Step b: links and images to their label, then URLs removed, then line-start markers removed."""
    text = MARKDOWN_LINK.sub(r"\1", text)
    text = URL.sub("", text)
    return LINE_MARKER.sub(r"\1", text)


def fold_digits_and_case(text):
    """Step c: ASCII digit runs to 0, then lower case."""
    return ASCII_DIGITS.sub("0", text).lower()


def preprocess_document(title, text):
    return fold_digits_and_case(strip_markup(to_document_text(title, text)))


def main(argv):
    with open(argv[0], encoding="utf-8") as fh:
        for raw in fh:
            if raw.strip():
                doc = json.loads(raw)
                sys.stdout.write(json.dumps(preprocess_document(doc["title"], doc["text"]), ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
