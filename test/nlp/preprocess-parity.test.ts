// Steps a-c against the Python version in scripts/reference/text_recipe.py, over the table below
// and every real corpus we have, so the later MeCab reference starts from the same text.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import * as E from "fp-ts/Either";
import { parseCorpus } from "../../src/nlp/corpus.js";
import { preprocessDocument } from "../../src/nlp/preprocess.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const PYTHON = "/usr/bin/python3";
const SCRIPT = path.join(repoRoot, "scripts", "reference", "text_recipe.py");

const tricky = [
  { id: "t1", title: "＃ 見出し１", text: "－ 項目\n  * nested\n10. ten\n####### seven\n-nospace" },
  { id: "t2", title: "", text: "[資料](https://x.y/(a)) ![img](i.png) https://a.b/c?d=1\u3000next http://e.f" },
  { id: "t3", title: "ΣΑΣ İstanbul", text: "Ｐｙｔｈｏｎ３．１２ ① ㍻ ｶﾞ 2020年 ٣" },
  { id: "t4", title: "crlf", text: "a\r\n- b\r\n\u2028- c\u00a0https://x.y\u00a0z" },
  { id: "t5", title: "", text: "" },
];

const corpora = [
  path.join(repoRoot, "examples", "data", "sample-talks.jsonl"),
  path.resolve(repoRoot, "..", "shared", "data", "pyconjp-2020-talks.jsonl"),
  path.resolve(repoRoot, "..", "shared", "data", "pyconjp-2019-talks.jsonl"),
];

const python = (file: string): ReadonlyArray<string> => {
  const r = spawnSync(PYTHON, [SCRIPT, file], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, `${PYTHON} ${SCRIPT} failed: ${r.stderr || String(r.error)}`);
  return r.stdout
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as string);
};

const compare = (file: string): number => {
  const docs = parseCorpus(file, readFileSync(file, "utf8"));
  assert.ok(E.isRight(docs));
  const expected = python(file);
  assert.equal(expected.length, docs.right.length);
  docs.right.forEach((d, i) => assert.equal(preprocessDocument(d.title, d.text), expected[i], `document ${d.id}`));
  return docs.right.length;
};

describe("steps a-c agree with the Python reference", { timeout: 60_000 }, () => {
  it("on tricky inputs", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "recipe-")), "tricky.jsonl");
    writeFileSync(file, tricky.map((d) => JSON.stringify(d)).join("\n") + "\n");
    assert.equal(compare(file), tricky.length);
  });

  for (const file of corpora) {
    it(`on ${path.relative(repoRoot, file)}`, () => {
      assert.ok(existsSync(file), `corpus missing: ${file}`);
      assert.ok(compare(file) > 0);
    });
  }
});
