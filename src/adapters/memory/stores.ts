/**
 * In-memory implementations of the store ports, for one process: tests, the demo, and a custom
 * bot that runs as a single long-lived server. State lives in the returned object, never in the
 * module, so two pipelines never share it by accident.
 */
import * as O from "fp-ts/Option";
import * as TE from "fp-ts/TaskEither";
import { createInProcessRunLedger } from "../../core/ledger/memory-layer.js";
import type { Approval, BaselineMeta, RepoPullNumber } from "../../core/model.js";
import type { ApprovalStore, BaselineStore, RunLedger, StoredBaseline } from "../../core/ports.js";
import type { ExperimentResult } from "../../core/result.js";

const prKey = (pr: RepoPullNumber): string => `${pr.owner}/${pr.repo}#${pr.number}`;

/**
 * Approvals held in a map, one pending approval per pull request.
 *
 * @example
 * const approvals = createMemoryApprovalStore();
 * await approvals.save(approval)();
 * const pending = await approvals.take(approval.pr)(); // Right(Some(approval)), then Right(None)
 */
export const createMemoryApprovalStore = (): ApprovalStore => {
  const pending = new Map<string, Approval>();
  return {
    save: (approval) =>
      TE.fromIO(() => {
        pending.set(prKey(approval.pr), approval);
      }),
    take: (pr) =>
      TE.fromIO(() => {
        const key = prKey(pr);
        const found = pending.get(key);
        pending.delete(key);
        return O.fromNullable(found);
      }),
    revoke: (pr) =>
      TE.fromIO(() => {
        pending.delete(prKey(pr));
      }),
  };
};

/**
 * Active runs, supersession marks and latest results in maps, for one process. The same maps
 * are the in-process layer of the forge ledger.
 *
 * @example
 * const ledger = createMemoryRunLedger();
 * await ledger.setActive(key, handle)();
 */
export const createMemoryRunLedger = (): RunLedger => createInProcessRunLedger();

/** A baseline as the memory store keeps it: the result and who promoted it. */
export type MemoryBaseline = StoredBaseline;

/**
 * Baselines per experiment id in a map, optionally seeded (the demo seeds the bundled baseline).
 *
 * @example
 * const baselines = createMemoryBaselineStore({ "tfidf-keywords": { result } });
 */
export const createMemoryBaselineStore = (
  initial: Readonly<Record<string, MemoryBaseline>> = {},
): BaselineStore & { readonly snapshot: () => ReadonlyMap<string, MemoryBaseline> } => {
  const baselines = new Map<string, MemoryBaseline>(Object.entries(initial));
  return {
    load: (experimentId) => TE.fromIO(() => O.fromNullable(baselines.get(experimentId))),
    save: (experimentId, result: ExperimentResult, meta: BaselineMeta) =>
      TE.fromIO(() => {
        baselines.set(experimentId, { result, meta });
      }),
    snapshot: () => new Map(baselines),
  };
};
