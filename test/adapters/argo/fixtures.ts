/** Shared inputs for the Argo runner tests. */
import type { Clock } from "../../../src/core/ports.js";
import { toRunKey } from "../../../src/core/model.js";
import type { RunRequest, Sha } from "../../../src/core/model.js";
import type { ExperimentResult } from "../../../src/core/result.js";

export const SHA = "0123456789abcdef0123456789abcdef01234567" as Sha;
export const PR = { owner: "octo", repo: "kw", number: 7 } as const;

export const request = (over: Partial<RunRequest> = {}): RunRequest => ({
  runKey: toRunKey(PR, "tfidf-keywords"),
  experimentId: "tfidf-keywords",
  params: { max_df: "0.4", top_k: "5" },
  pinnedSha: SHA,
  pr: { ...PR, headRef: "feature/x", headSha: SHA },
  approvalId: "approval-0001",
  ...over,
});

export const RESULT: ExperimentResult = {
  metrics: { accuracy: 0.9 },
  rankings: {
    keywords: {
      "talk-1": [
        { term: "tf-idf", score: 0.61 },
        { term: "形態素", score: 0.42 },
      ],
    },
  },
};

/** A clock that never really sleeps and records every requested delay. */
export const fakeClock = (): Clock & { readonly sleeps: Array<number> } => {
  const sleeps: Array<number> = [];
  return {
    sleeps,
    now: () => new Date("2026-11-27T12:00:00Z"),
    sleep: (ms) => async () => {
      sleeps.push(ms);
    },
  };
};
