/**
 * The in-process layer of the run ledger. State lives in the returned object, never in the
 * module, so two pipelines never share it by accident.
 */
import * as O from "fp-ts/Option";
import * as TE from "fp-ts/TaskEither";
import { runKeyId, type RunHandle } from "../model.js";
import type { RunLedger, StoredResult } from "../ports.js";

/**
 * @internal What one process knows of its runs: active runs, supersession marks and latest results
 * in maps. The forge ledger answers from here first; `createMemoryRunLedger` of the memory adapter
 * is this alone.
 *
 * @example
 * const ledger = createInProcessRunLedger();
 * await ledger.setActive(key, handle)();
 */
export const createInProcessRunLedger = (): RunLedger => {
  // Keyed by the key's text form: two equal structured keys are different objects.
  const active = new Map<string, RunHandle>();
  const superseded = new Map<string, string>();
  const latest = new Map<string, StoredResult>();
  return {
    active: (key) => TE.fromIO(() => O.fromNullable(active.get(runKeyId(key)))),
    setActive: (key, h) =>
      TE.fromIO(() => {
        active.set(runKeyId(key), h);
      }),
    clearActive: (key, runId) =>
      TE.fromIO(() => {
        if (active.get(runKeyId(key))?.id === runId) active.delete(runKeyId(key));
      }),
    markSuperseded: (runId, by) =>
      TE.fromIO(() => {
        superseded.set(runId, by);
      }),
    supersededBy: (h) => TE.fromIO(() => O.fromNullable(superseded.get(h.id))),
    saveLatest: (key, r) =>
      TE.fromIO(() => {
        latest.set(runKeyId(key), r);
      }),
    latest: (key) => TE.fromIO(() => O.fromNullable(latest.get(runKeyId(key)))),
    // Nowhere to show it in memory: the caller replies.
    note: () => TE.right(false),
  };
};
