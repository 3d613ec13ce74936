/**
 * Benchmark corpora built from the real ones (../shared/data), written as JSON Lines:
 * - `distinct`: k × the documents of both PyCon JP corpora, every document unique. Document j
 *   takes the title of source document j mod n and as many lines as that document has, each
 *   line drawn by a seeded PRNG from the pool of all corpus lines, with the document number as
 *   its first line. No two documents are equal (checked), so a token cache cannot serve one
 *   document's tokens to another and a run tokenizes every document.
 * - `longLine`: one document whose text is a single line of about 2 MB (UTF-8) without 、。:
 *   the corpus lines joined by spaces, repeated.
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";

type Doc = { readonly id: string; readonly title: string; readonly text: string };

const readDocs = (files: ReadonlyArray<string>): ReadonlyArray<Doc> =>
  files.flatMap((f) =>
    readFileSync(f, "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l) as Doc),
  );

// mulberry32: a small deterministic PRNG, so every run gets the same corpus.
const prng = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/**
 * Writes k × (both corpora) distinct documents to `out`; returns the document count.
 *
 * @example
 * writeDistinct([PYCON_2020, PYCON_2019], 20, "/tmp/x20.jsonl"); // 2220
 */
export const writeDistinct = (sources: ReadonlyArray<string>, k: number, out: string): number => {
  const docs = readDocs(sources);
  const pool = docs.flatMap((d) => d.text.split("\n").filter((l) => l.trim() !== ""));
  const random = prng(0x5eed + k);
  const seen = new Set<string>();
  const lines: string[] = [];
  for (let j = 0; j < k * docs.length; j += 1) {
    const src = docs[j % docs.length]!;
    const count = Math.max(1, src.text.split("\n").filter((l) => l.trim() !== "").length);
    const body = [`talk ${j}`];
    for (let i = 0; i < count; i += 1) body.push(pool[Math.floor(random() * pool.length)]!);
    const doc = { id: `doc-${j}`, title: src.title, text: body.join("\n") };
    const hash = createHash("sha256").update(`${doc.title}\n${doc.text}`).digest("hex");
    if (seen.has(hash)) throw new Error(`distinct corpus x${k}: document ${j} repeats another`);
    seen.add(hash);
    lines.push(JSON.stringify(doc));
  }
  writeFileSync(out, `${lines.join("\n")}\n`);
  return lines.length;
};

/**
 * Writes one document whose text is a single line of at least `bytes` UTF-8 bytes without 、。.
 *
 * @example
 * writeLongLine([PYCON_2020, PYCON_2019], 2 * 2 ** 20, "/tmp/long.jsonl");
 */
export const writeLongLine = (sources: ReadonlyArray<string>, bytes: number, out: string): number => {
  const unit = readDocs(sources)
    .map((d) => d.text)
    .join(" ")
    .replace(/[、。\r\n]+/g, " ");
  const unitBytes = Buffer.byteLength(unit);
  const text = Array.from({ length: Math.ceil(bytes / unitBytes) }, () => unit).join(" ");
  writeFileSync(out, `${JSON.stringify({ id: "long-line", title: "", text })}\n`);
  return Buffer.byteLength(text);
};
