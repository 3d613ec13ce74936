/**
 * The part-of-speech filter and term choice (the end of recipe step d: morphemes to terms), in a
 * module that loads nothing else (no io-ts, no fp-ts): the tokenizer's worker threads
 * (tokenize-worker.ts) import it, and each worker pays for every module it loads at start-up.
 * filter.ts and keywords.ts re-export these.
 */
import type { Morpheme } from "./morpheme.js";

/**
 * A part-of-speech rule as the filter reads it (`PosRule` of filter.ts is its codec).
 *
 * @example
 * const rule: PosRuleShape = { pos: "動詞", posDetail1: "非自立" };
 * @internal */
export type PosRuleShape = { readonly pos: string; readonly posDetail1?: string | undefined };

/**
 * True when some rule drops the morpheme.
 *
 * @example
 * isDroppedByPos({ surface: "は", pos: "助詞", posDetail1: "係助詞", basicForm: "は" }, DEFAULT_POS_FILTER); // true
 * @internal */
export const isDroppedByPos = (m: Morpheme, rules: ReadonlyArray<PosRuleShape>): boolean =>
  rules.some((r) => r.pos === m.pos && (r.posDetail1 === undefined || r.posDetail1 === m.posDetail1));

/**
 * The term of a morpheme: its base form, or its surface form where the base form is `*`.
 *
 * @example
 * toTerm({ surface: "走っ", pos: "動詞", posDetail1: "自立", basicForm: "走る" }); // "走る"
 * @internal */
export const toTerm = (m: Morpheme): string => (m.basicForm === "*" ? m.surface : m.basicForm);

/**
 * The terms of the morphemes the part-of-speech filter keeps: drops what `posFilter` names, takes
 * base forms (or the surface form where the base form is `*`).
 *
 * @example
 * posFilteredTerms(tk.tokenize("型を書いた"), DEFAULT_POS_FILTER); // ["型", "書く"]
 * @internal */
export const posFilteredTerms = (
  morphemes: ReadonlyArray<Morpheme>,
  posFilter: ReadonlyArray<PosRuleShape>,
): ReadonlyArray<string> => morphemes.filter((m) => !isDroppedByPos(m, posFilter)).map(toTerm);
