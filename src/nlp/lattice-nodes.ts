/**
 * The lattice's nodes as parallel typed arrays (a long line makes millions of them), with a
 * newest-first list of the nodes ending at each position. Node 0 is the sentence start.
 */

const INITIAL = 4096;

/**
 * Growable node storage, reused from sentence to sentence. Read the arrays through the record:
 * `push` replaces them when it grows them.
 *
 * @example
 * const nodes = newNodeStore();
 * resetNodes(nodes, 2 * n + 2);
 * pushNode(nodes, end, right, cost, prev, entry, start, charEnd);
 * @internal */
export type NodeStore = {
  size: number;
  right: Int32Array;
  cost: Float64Array;
  prev: Int32Array;
  entry: Int32Array;
  start: Int32Array;
  charEnd: Int32Array;
  /** The next-older node ending at the same position, or -1. */
  next: Int32Array;
  /** The newest node ending at each position, or -1. */
  heads: Int32Array;
};

/**
 * An empty store.
 *
 * @example
 * const nodes = newNodeStore();
 * @internal */
export const newNodeStore = (): NodeStore => ({
  size: 0,
  right: new Int32Array(INITIAL),
  cost: new Float64Array(INITIAL),
  prev: new Int32Array(INITIAL),
  entry: new Int32Array(INITIAL),
  start: new Int32Array(INITIAL),
  charEnd: new Int32Array(INITIAL),
  next: new Int32Array(INITIAL),
  heads: new Int32Array(INITIAL),
});

const grown = <T extends Int32Array | Float64Array>(a: T, size: number): T => {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
};

/**
 * Appends a node ending at `end` and links it into that position's list.
 *
 * @example
 * pushNode(nodes, 3, right, cost, prev, entry, 1, 3);
 * @internal */
export const pushNode = (
  s: NodeStore,
  end: number,
  right: number,
  cost: number,
  prev: number,
  entry: number,
  start: number,
  charEnd: number,
): void => {
  if (s.size === s.right.length) {
    const size = 2 * s.size;
    s.right = grown(s.right, size);
    s.cost = grown(s.cost, size);
    s.prev = grown(s.prev, size);
    s.entry = grown(s.entry, size);
    s.start = grown(s.start, size);
    s.charEnd = grown(s.charEnd, size);
    s.next = grown(s.next, size);
  }
  const n = s.size;
  s.right[n] = right;
  s.cost[n] = cost;
  s.prev[n] = prev;
  s.entry[n] = entry;
  s.start[n] = start;
  s.charEnd[n] = charEnd;
  s.next[n] = s.heads[end]!;
  s.heads[end] = n;
  s.size = n + 1;
};

/**
 * Empties the store for a sentence whose nodes end at positions 0…positions-1 and adds the
 * start node (position 0, right id 0, cost 0).
 *
 * @example
 * resetNodes(nodes, 2 * n + 2);
 * @internal */
export const resetNodes = (s: NodeStore, positions: number): void => {
  if (s.heads.length < positions) s.heads = new Int32Array(Math.max(positions, 2 * s.heads.length));
  s.heads.fill(-1, 0, positions);
  s.size = 0;
  pushNode(s, 0, 0, 0, -1, -1, 0, 0);
};

/**
 * A space joins what is before it to what is after it: the nodes ending at `from` also end at
 * `to`, in the same newest-first order.
 *
 * @example
 * inheritEnds(nodes, p, p + 1); // the space at p starts no word
 * @internal */
export const inheritEnds = (nodes: NodeStore, from: number, to: number): void => {
  if (nodes.heads[to] === -1) {
    nodes.heads[to] = nodes.heads[from]!;
    return;
  }
  const older: number[] = [];
  for (let n = nodes.heads[from]!; n !== -1; n = nodes.next[n]!) older.push(n);
  for (const n of older.reverse()) {
    pushNode(
      nodes,
      to,
      nodes.right[n]!,
      nodes.cost[n]!,
      nodes.prev[n]!,
      nodes.entry[n]!,
      nodes.start[n]!,
      nodes.charEnd[n]!,
    );
  }
};
