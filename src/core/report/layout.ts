/**
 * The layout of a report body: whole-line markers around its sections, so the next body can fold
 * the current result under "earlier results". They carry no run state (that is the ledger's).
 */

/** @internal Whole-line markers around the current result, each earlier one, and the metric over the pull request's runs. */
export const SECTION = {
  resultBegin: "<!-- ml-chatops:result:begin -->",
  resultEnd: "<!-- ml-chatops:result:end -->",
  previousBegin: "<!-- ml-chatops:previous:begin -->",
  previousEnd: "<!-- ml-chatops:previous:end -->",
  runsBegin: "<!-- ml-chatops:runs:begin -->",
  runsEnd: "<!-- ml-chatops:runs:end -->",
} as const;
