// `ml-chatops keywords` options added for speed and vocabulary: --cache-dir / --no-cache,
// --user-dictionary, progress on a terminal and --quiet. The corpus is printable ASCII, so none
// of these runs loads the kuromoji dictionary.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { CliIo } from "../../src/cli/io.js";
import { runKeywords } from "../../src/cli/keywords.js";
import { defaultCacheDir, progressReporter } from "../../src/cli/keywords-progress.js";

type Result = { documents: ReadonlyArray<{ id: string; keywords: ReadonlyArray<{ term: string; score: number }> }> };

const dir = mkdtempSync(path.join(tmpdir(), "keywords-cli-"));
const corpus = path.join(dir, "talks.jsonl");
writeFileSync(
  corpus,
  [
    { id: "a", title: "jig-py in practice", text: "Testing with jig-py and FastAPI." },
    { id: "b", title: "Serving models", text: "FastAPI serves models; async python." },
    { id: "c", title: "Packaging", text: "Wheels, sdists and python packaging." },
  ]
    .map((d) => JSON.stringify(d))
    .join("\n"),
);

const run = async (argv: ReadonlyArray<string>, tty = false): Promise<{ code: number; out: string; err: string }> => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    env: {},
    cwd: dir,
    stderrIsTTY: tty,
  };
  const code = await runKeywords(argv, io);
  return { code, out: out.join(""), err: err.join("") };
};

const terms = (out: string): ReadonlyArray<string> =>
  (JSON.parse(out) as Result).documents.flatMap((d) => d.keywords.map((k) => k.term));

const countEntries = (cacheDir: string): number => {
  const root = path.join(cacheDir, "tokens");
  return existsSync(root) ? readdirSync(root).flatMap((s) => readdirSync(path.join(root, s))).length : 0;
};

describe("keywords --cache-dir / --no-cache", () => {
  it("writes one entry per distinct document and gives the same result when warm", async () => {
    const cacheDir = path.join(dir, "cache-a");
    const cold = await run(["--input", corpus, "--cache-dir", cacheDir]);
    assert.equal(cold.code, 0, cold.err);
    assert.equal(countEntries(cacheDir), 3);
    const warm = await run(["--input", corpus, "--cache-dir", cacheDir]);
    assert.equal(warm.out, cold.out);
    const changed = await run(["--input", corpus, "--cache-dir", cacheDir, "--top", "2", "--sublinear-tf"]);
    assert.equal(changed.code, 0);
    assert.equal(countEntries(cacheDir), 3, "TF-IDF parameters do not change token keys");
  });

  it("--no-cache writes nothing", async () => {
    const cacheDir = path.join(dir, "cache-b");
    const r = await run(["--input", corpus, "--cache-dir", cacheDir, "--no-cache"]);
    assert.equal(r.code, 0, r.err);
    assert.equal(existsSync(cacheDir), false);
  });

  it("the default is node_modules/.cache/ml-chatops of the nearest package.json", () => {
    const project = mkdtempSync(path.join(tmpdir(), "proj-"));
    writeFileSync(path.join(project, "package.json"), "{}");
    const sub = path.join(project, "a", "b");
    assert.equal(defaultCacheDir(sub), path.join(project, "node_modules", ".cache", "ml-chatops"));
  });
});

describe("keywords --user-dictionary", () => {
  it("keeps listed terms whole; off by default", async () => {
    const plain = await run(["--input", corpus, "--no-cache", "--max-df", "1.0"]);
    assert.ok(terms(plain.out).includes("jig") && !terms(plain.out).includes("jig-py"));
    const dict = path.join(dir, "terms.txt");
    writeFileSync(dict, "jig-py\n");
    const withDict = await run(["--input", corpus, "--no-cache", "--max-df", "1.0", "--user-dictionary", dict]);
    assert.equal(withDict.code, 0, withDict.err);
    assert.ok(terms(withDict.out).includes("jig-py") && !terms(withDict.out).includes("jig"));
  });

  it("a bad dictionary line is one error line naming file and line", async () => {
    const dict = path.join(dir, "bad-terms.txt");
    writeFileSync(dict, "ok\nfast api\n");
    const r = await run(["--input", corpus, "--no-cache", "--user-dictionary", dict]);
    assert.equal(r.code, 1);
    assert.match(r.err, /^ml-chatops keywords: .*whitespace.*bad-terms\.txt:2\)\n$/);
  });

  it("a missing dictionary file is a clear error", async () => {
    const r = await run(["--input", corpus, "--no-cache", "--user-dictionary", "nope.txt"]);
    assert.equal(r.code, 1);
    assert.match(r.err, /cannot read user dictionary: .*\(nope\.txt\)/);
  });
});

describe("keywords progress", () => {
  it("shows documents done on a terminal, and nothing with --quiet or without a terminal", async () => {
    const tty = await run(["--input", corpus, "--no-cache"], true);
    assert.match(tty.err, /keywords: tokenized 3\/3 documents/);
    assert.ok(tty.err.endsWith("\n"));
    assert.equal((await run(["--input", corpus, "--no-cache", "--quiet"], true)).err, "");
    assert.equal((await run(["--input", corpus, "--no-cache"], false)).err, "");
  });

  it("reports documents per second and an ETA from an injected clock", () => {
    const lines: string[] = [];
    let t = 0;
    const io: CliIo = {
      stdout: () => undefined,
      stderr: (s) => void lines.push(s),
      env: {},
      cwd: dir,
      stderrIsTTY: true,
    };
    const p = progressReporter(io, false, () => t);
    p.update(1, 21);
    t = 1000;
    p.update(11, 21);
    p.finish();
    assert.match(lines[1] ?? "", /tokenized 11\/21 documents, 10\.0 docs\/s, ETA 1 s$/);
    assert.equal(lines[lines.length - 1], "\n");
  });
});
