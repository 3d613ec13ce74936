/**
 * Our own lattice and Viterbi search over kuromoji's IPADIC data, in linear time. kuromoji's
 * ViterbiBuilder re-encodes the rest of the sentence at every position (O(L²) per sentence);
 * here each sentence is encoded to UTF-8 once, the trie walk at a position stops where the
 * dictionary has no longer entry, and unknown-word groups come from one backward pass.
 *
 * The best path is kuromoji's, to the tie: the same nodes (known words by increasing length in
 * trie order, then unknown words of the head character's class), the same costs, the same
 * positions (kuromoji measures a word in UTF-16 units but steps in code points, which shifts
 * words after a surrogate pair; that is reproduced), the same first-wins choice among equal
 * costs, and the same sentence cut after 、 and 。. Nodes no path reaches are not stored: they
 * can never be chosen. MeCab's unknown-word rules are lattice-mecab-unknown.ts; the node store
 * is lattice-nodes.ts.
 */
import type { IpadicData } from "./ipadic-data.js";
import { readSentence, type SentenceScratch, newScratch } from "./lattice-input.js";
import { inheritEnds, newNodeStore, pushNode, resetNodes, type NodeStore } from "./lattice-nodes.js";
import { mecabUnknownEnds, newCharTypes, readCharTypes } from "./lattice-mecab-unknown.js";

/**
 * Work done so far, for tests that check the lattice stays linear.
 *
 * @example
 * const stats: LatticeStats = { chars: 0, encodedBytes: 0, trieSteps: 0, nodes: 0, edges: 0 };
 * @internal */
export type LatticeStats = { chars: number; encodedBytes: number; trieSteps: number; nodes: number; edges: number };

/** One word of the best path: where it is in the sentence and which entry it is. @internal */
export type PathWord = {
  /** UTF-16 offsets of the surface in the sentence. */
  readonly from: number;
  readonly to: number;
  /** Word entry index, or for an unknown word -1 - its unknown-entry index. */
  readonly entry: number;
};

const MAX = Number.MAX_VALUE;

/**
 * Where the lattice follows MeCab instead of kuromoji (both over the same IPADIC data):
 * - `skipSpaces`: characters of the SPACE class start no word and join nothing: a word after them
 *   connects to the word before them, as MeCab reads (kuromoji makes each space run a 記号 token);
 * - `mecabUnknown`: MeCab's unknown words: a class run (classes chained through char.def's
 *   compatible classes) only when it is at most 25 characters, plus words of 1…LENGTH characters,
 *   plus one character when nothing else starts there (kuromoji: the run, whatever its length);
 *   positions in characters; among equal costs the newest predecessor, as MeCab's lists give.
 * Sentences are cut (kuromoji) or not (MeCab) by the tokenizer, see `sentencesOf`.
 *
 * @example
 * createLatticeSearch(data, undefined, { skipSpaces: true, mecabUnknown: false });
 * @internal */
export type LatticeRules = { readonly skipSpaces: boolean; readonly mecabUnknown: boolean };

/** kuromoji's lattice exactly. @internal */
export const KUROMOJI_LATTICE: LatticeRules = { skipSpaces: false, mecabUnknown: false };

/**
 * Splits `line` as kuromoji does before building lattices: after every 、 and 。.
 *
 * @example
 * sentencesOf("東京、大阪。京都"); // ["東京、", "大阪。", "京都"]
 * @internal */
export const sentencesOf = (line: string): ReadonlyArray<string> => {
  const out: string[] = [];
  let from = 0;
  for (let i = 0; i < line.length; i += 1) {
    const c = line.charCodeAt(i);
    if (c === 0x3001 || c === 0x3002) {
      out.push(line.slice(from, i + 1));
      from = i + 1;
    }
  }
  if (from < line.length) out.push(line.slice(from));
  return out;
};

/**
 * A Viterbi searcher over `data`; it keeps its work buffers between calls (not re-entrant).
 *
 * @example
 * const search = createLatticeSearch(data);
 * search("東京に行く"); // [{ from: 0, to: 2, entry: … }, …]
 * @internal */
export const createLatticeSearch = (
  data: IpadicData,
  stats?: LatticeStats,
  rules: LatticeRules = KUROMOJI_LATTICE,
): ((sentence: string) => ReadonlyArray<PathWord>) => {
  const { base, check, words, mapOffsets, mapIds, connection, unknownWords } = data;
  const backward = connection[1]!;
  const classes = data.unknown.classes;
  const defaultClass = Math.max(
    0,
    classes.findIndex((c) => c.name === "DEFAULT"),
  );
  // kuromoji compares classes by name.
  const canonical = classes.map((c) => classes.findIndex((d) => d.name === c.name));
  const unknownByClass = data.unknown.entriesByClass.map((ids) => Int32Array.from(ids));
  const spaceClass = classes.findIndex((c) => c.name === "SPACE");
  const mecab = rules.mecabUnknown;
  const charTypes = newCharTypes();
  const nodes = newNodeStore();
  const scratch: SentenceScratch = newScratch();
  // Best predecessor per left id at the current position (left ids repeat across words).
  const leftDim = connection[0]! > 0 ? Math.max(connection[0]!, backward) : 1;
  const bestStamp = new Int32Array(leftDim).fill(-1);
  const bestCost = new Float64Array(leftDim);
  const bestNode = new Int32Array(leftDim);
  const matchEnds: number[] = [];
  const matchTries: number[] = [];

  const bestBefore = (p: number, left: number): void => {
    let cost = MAX;
    let prev = -1;
    for (let n = nodes.heads[p]!; n !== -1; n = nodes.next[n]!) {
      const c = nodes.cost[n]! + connection[2 + nodes.right[n]! * backward + left]!;
      // Newest first here; kuromoji scans oldest first and keeps the first minimum, MeCab the newest.
      if (c < cost || (c === cost && !mecab)) {
        cost = c;
        prev = n;
      }
      if (stats) stats.edges += 1;
    }
    bestStamp[left] = p;
    bestCost[left] = cost;
    bestNode[left] = prev;
  };

  const add = (
    p: number,
    end: number,
    left: number,
    right: number,
    wordCost: number,
    entry: number,
    charEnd: number,
  ): void => {
    if (bestStamp[left] !== p) bestBefore(p, left);
    const prev = bestNode[left]!;
    if (prev === -1) return;
    const cost = bestCost[left]! + wordCost;
    if (cost >= MAX) return;
    pushNode(nodes, end, right, cost, prev, entry, p, charEnd);
    if (stats) stats.nodes += 1;
  };

  return (sentence) => {
    const s = readSentence(sentence, scratch, data.charClass, defaultClass, canonical);
    if (mecab) readCharTypes(charTypes, sentence, s, data.charCompat);
    const { n, bytes, byteStart, unitStart, groupEnd, cls } = s;
    if (stats) {
      stats.chars += n;
      stats.encodedBytes += byteStart[n]!;
    }
    resetNodes(nodes, 2 * n + 2);
    bestStamp.fill(-1);
    let maxLast = 0;
    for (let p = 0; p < n; p += 1) {
      if (rules.skipSpaces && cls[p] === spaceClass) {
        inheritEnds(nodes, p, p + 1);
        if (p + 1 > maxLast) maxLast = p + 1;
        continue;
      }
      // Every trie match: walk the UTF-8 bytes from here while the trie has children.
      matchEnds.length = 0;
      matchTries.length = 0;
      let node = 0;
      walk: for (let q = p; q < n; q += 1) {
        for (let b = byteStart[q]!; b < byteStart[q + 1]!; b += 1) {
          const child = base[node]! + bytes[b]!;
          if (stats) stats.trieSteps += 1;
          if (child < 0 || child >= check.length || check[child] !== node) break walk;
          node = child;
        }
        const term = base[node]!;
        if (term >= 0 && term < check.length && check[term] === node && base[term]! <= 0) {
          matchEnds.push(q + 1);
          matchTries.push(-base[term]! - 1);
        }
      }
      const reachable = nodes.heads[p]! !== -1;
      for (let m = 0; m < matchEnds.length; m += 1) {
        const q = matchEnds[m]!;
        const end = mecab ? q : p + unitStart[q]! - unitStart[p]!;
        if (end > maxLast) maxLast = end;
        if (!reachable) continue;
        const t = matchTries[m]!;
        for (let k = mapOffsets[t] ?? 0; k < (mapOffsets[t + 1] ?? 0); k += 1) {
          const e = mapIds[k]!;
          add(p, end, words[3 * e]!, words[3 * e + 1]!, words[3 * e + 2]!, e, q);
        }
      }
      const c = cls[p]!;
      if (mecab) {
        if (matchEnds.length === 0 || classes[c]?.invoke === true) {
          const ends = mecabUnknownEnds(
            s.n,
            p,
            classes[c]?.group === true,
            classes[c]?.length ?? 0,
            matchEnds.length === 0,
            charTypes,
          );
          const ids = unknownByClass[c];
          for (const q of ends) {
            if (q > maxLast) maxLast = q;
            if (reachable && ids !== undefined) {
              for (const u of ids)
                add(p, q, unknownWords[3 * u]!, unknownWords[3 * u + 1]!, unknownWords[3 * u + 2]!, -1 - u, q);
            }
          }
        }
      } else if (matchEnds.length === 0 || classes[c]?.invoke === true) {
        const q = classes[c]?.group === true ? groupEnd[p]! : p + 1;
        // A group of one character has kuromoji's code-point length 1, a longer one its UTF-16 length.
        const end = p + (q === p + 1 ? 1 : unitStart[q]! - unitStart[p]!);
        if (end > maxLast) maxLast = end;
        const ids = unknownByClass[c];
        if (reachable && ids !== undefined) {
          for (const u of ids)
            add(p, end, unknownWords[3 * u]!, unknownWords[3 * u + 1]!, unknownWords[3 * u + 2]!, -1 - u, q);
        }
      }
    }
    return backtrack(nodes, maxLast, connection, backward, unitStart);
  };
};

const backtrack = (
  nodes: NodeStore,
  maxLast: number,
  connection: Int16Array,
  backward: number,
  unitStart: Int32Array,
): ReadonlyArray<PathWord> => {
  let cost = MAX;
  let last = -1;
  for (let n = nodes.heads[maxLast]!; n !== -1; n = nodes.next[n]!) {
    const c = nodes.cost[n]! + connection[2 + nodes.right[n]! * backward]!;
    if (c <= cost) {
      cost = c;
      last = n;
    }
  }
  if (last === -1 || cost >= MAX) return [];
  const path: PathWord[] = [];
  for (let n = last; n > 0; n = nodes.prev[n]!) {
    path.push({ from: unitStart[nodes.start[n]!]!, to: unitStart[nodes.charEnd[n]!]!, entry: nodes.entry[n]! });
  }
  return path.reverse();
};
