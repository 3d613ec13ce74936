/**
 * The parity targets of issue 13, printed by the benchmark beside the speed figures (the parity
 * tests, test/nlp/parity.test.ts, assert them): per corpus, ours end to end against the MeCab
 * reference (mean top-10 overlap >= 0.995, lowest document >= 0.8), and, on MeCab's own tokens
 * (`--dump-tokens` fed to `--pretokenized`), our scores against scikit-learn's (within 1e-9).
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import type { Measurement } from "./measure.js";

type Keyword = { readonly term: string; readonly score: number };
type Result = { readonly documents: ReadonlyArray<{ readonly id: string; readonly keywords: ReadonlyArray<Keyword> }> };

const MEAN_OVERLAP_MIN = 0.995;
const DOC_OVERLAP_MIN = 0.8;
const SCORE_TOLERANCE = 1e-9;

const overlap = (a: ReadonlyArray<Keyword>, b: ReadonlyArray<Keyword>): number => {
  const size = Math.max(a.length, b.length);
  if (size === 0) return 1;
  const bs = new Set(b.map((k) => k.term));
  return a.filter((k) => bs.has(k.term)).length / size;
};

// Infinity when the two do not rank the same terms in the same order.
const maxScoreDifference = (ours: Result, theirs: Result): number => {
  let worst = 0;
  ours.documents.forEach((d, i) => {
    const t = theirs.documents[i];
    if (t === undefined || t.id !== d.id || t.keywords.length !== d.keywords.length) worst = Infinity;
    d.keywords.forEach((k, j) => {
      const o = t?.keywords[j];
      worst = o === undefined || o.term !== k.term ? Infinity : Math.max(worst, Math.abs(o.score - k.score));
    });
  });
  return worst;
};

/**
 * Runs both sides on each corpus; returns target table rows and detail lines.
 *
 * @example
 * const p = await benchParity([PYCON_2020], work, ours, (script, args) => measure(PYTHON, [script, ...args], { cwd: work }));
 */
export const benchParity = async (
  corpora: ReadonlyArray<string>,
  work: string,
  ours: (args: ReadonlyArray<string>) => Promise<Measurement>,
  reference: (script: "mecab_reference.py" | "tfidf_reference.py", args: ReadonlyArray<string>) => Promise<Measurement>,
): Promise<{ readonly targets: ReadonlyArray<string>; readonly lines: ReadonlyArray<string> }> => {
  const targets: string[] = [];
  const lines: string[] = [];
  for (const corpus of corpora) {
    const name = path.basename(corpus);
    const mine = JSON.parse((await ours(["--input", corpus])).stdout) as Result;
    const mecab = JSON.parse((await reference("mecab_reference.py", ["--input", corpus])).stdout) as Result;
    const perDoc = mine.documents.map((d, i) => ({
      id: d.id,
      overlap: overlap(d.keywords, mecab.documents[i]?.keywords ?? []),
    }));
    const mean = perDoc.reduce((s, d) => s + d.overlap, 0) / Math.max(1, perDoc.length);
    const lowest = perDoc.reduce((w, d) => (d.overlap < w.overlap ? d : w), { id: "-", overlap: 1 });
    const tokens = path.join(work, `mecab-tokens-${name}`);
    writeFileSync(tokens, (await reference("mecab_reference.py", ["--input", corpus, "--dump-tokens"])).stdout);
    const sameTokensOurs = JSON.parse((await ours(["--pretokenized", tokens])).stdout) as Result;
    const sameTokensSklearn = JSON.parse(
      (await reference("tfidf_reference.py", ["--pretokenized", tokens])).stdout,
    ) as Result;
    const diff = maxScoreDifference(sameTokensOurs, sameTokensSklearn);
    const verdict = (ok: boolean): string => (ok ? "met" : "MISSED");
    targets.push(
      `| parity ${name}: mean top-10 overlap vs MeCab | ${mean.toFixed(4)} | >= ${MEAN_OVERLAP_MIN} | ${verdict(mean >= MEAN_OVERLAP_MIN)} |`,
      `| parity ${name}: lowest document | ${lowest.overlap.toFixed(2)} (${lowest.id}) | >= ${DOC_OVERLAP_MIN} | ${verdict(lowest.overlap >= DOC_OVERLAP_MIN)} |`,
      `| parity ${name}: identical tokens, max score difference vs scikit-learn | ${diff === Infinity ? "rankings differ" : diff.toExponential(1)} | <= 1e-9 | ${verdict(diff <= SCORE_TOLERANCE)} |`,
    );
    lines.push(
      `Parity ${name}: ${perDoc.length} documents, ${perDoc.filter((d) => d.overlap < 1).length} below overlap 1.0.`,
    );
  }
  return { targets, lines };
};
