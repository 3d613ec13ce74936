/**
 * `npm run bench -- github-requests`: how many GitHub requests each event costs (issue 14 item 2).
 * Both entries (github-drivers.ts: the Actions commands, a process per event, and a long-lived
 * webhook bot) are driven in-process with the real Octokit (App auth, retry, throttling) over the
 * fake GitHub, which validates every request and answer against GitHub's OpenAPI description. Counts are by operationId, split into requests that count against the rate
 * limit and conditional reads answered 304 (which do not). Deterministic: the same code gives the
 * same counts on any machine; only the wall time (write spacing of the throttling plugin) varies.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as TE from "fp-ts/TaskEither";
import { REPO_CONFIG_PATH } from "../../src/adapters/github/repo-config.js";
import { createInProcessRunner } from "../../src/adapters/local/in-process-runner.js";
import { renderRepoConfig } from "../../src/cli/init/config-file.js";
import { createWorld, type World } from "../../test/adapters/github/setup.js";
import { commentPayload, pullPayload } from "../../test/fixtures/github/payloads.js";
import { TEST_BOT } from "../../test/support/actions-event.js";
import { result } from "../../test/support/core-fakes.js";
import type { LoggedRequest } from "../../test/support/fake-github/index.js";
import { actionsDriver, webhookDriver } from "./github-drivers.js";

/** The requests of one event, by operationId. */
export type OperationCount = { readonly operationId: string; readonly limited: number; readonly notModified: number };

export type EventCount = {
  readonly event: string;
  /** Whether the event was handled, and its last log line: a count of a failed event is never taken for one that worked. */
  readonly ok: boolean;
  readonly outcome: string;
  readonly limited: number;
  readonly notModified: number;
  readonly operations: ReadonlyArray<OperationCount>;
  /** The first line of each bot comment on the pull request after the event (issue 14: one per experiment). */
  readonly botComments: ReadonlyArray<string>;
};

const INIT_CONFIG = renderRepoConfig({
  runner: "local",
  trigger: "/experiment",
  experiment: { kind: "builtin" },
  force: false,
});

/** Issue 14 item 2: at most this many rate-limited requests per event. */
export const REQUEST_BUDGET = 8;

const countOf = (
  entries: ReadonlyArray<LoggedRequest>,
): Omit<EventCount, "event" | "ok" | "outcome" | "botComments"> => {
  const by = new Map<string, { limited: number; notModified: number }>();
  for (const r of entries) {
    const id = r.operationId ?? `${r.method} ${r.path}`;
    const c = by.get(id) ?? { limited: 0, notModified: 0 };
    if (r.status === 304) c.notModified += 1;
    else c.limited += 1;
    by.set(id, c);
  }
  const operations = [...by.entries()]
    .map(([operationId, c]) => ({ operationId, ...c }))
    .sort(
      (a, b) => b.limited + b.notModified - (a.limited + a.notModified) || a.operationId.localeCompare(b.operationId),
    );
  return {
    limited: operations.reduce((n, o) => n + o.limited, 0),
    notModified: operations.reduce((n, o) => n + o.notModified, 0),
    operations,
  };
};

/**
 * Which entry the events go through (see github-drivers.ts): the Actions commands as the shipped
 * workflows run them (with `--default-branch-checkout` of the default branch), the same without it, or a webhook bot.
 */
export type Entry = "actions" | "actions-without-checkout" | "webhook";

/**
 * Runs one pull request through comment → approval, label → run → report, promote, a push, and a
 * second comment → approval and label → report (a PR that already carries the bot's comments),
 * through `entry`, and returns the requests of each event. `world` defaults to a fresh fake
 * GitHub; `number` is the pull request it opens there.
 *
 * @example
 * const counts = await countGitHubRequests("actions");
 * counts.find((c) => c.event === "comment → approval")?.limited;
 */
export const countGitHubRequests = async (
  entry: Entry,
  world?: World,
  number = 900,
): Promise<ReadonlyArray<EventCount>> => {
  const w = world ?? (await createWorld());
  const dir = mkdtempSync(join(tmpdir(), "bench-github-requests-"));
  w.gh.addPull(w.repo, { number, user: w.users.bob });
  // The repository is set up as `ml-chatops init` leaves it: its config file is read per event.
  if (w.repo.files.get(w.repo.defaultBranch)?.has(REPO_CONFIG_PATH) !== true)
    w.gh.setFile(w.repo, w.repo.defaultBranch, REPO_CONFIG_PATH, INIT_CONFIG);
  const runner = createInProcessRunner({}, { run: () => TE.right(result(["graph", "tensor"])) });
  const deliver =
    entry === "webhook"
      ? await webhookDriver(w, runner)
      : actionsDriver(w, dir, runner, { checkout: entry === "actions" });
  const counts: EventCount[] = [];
  const job = async (name: string, eventName: "issue_comment" | "pull_request", payload: unknown) => {
    const from = w.gh.log.length;
    const { ok, outcome } = await deliver(eventName, payload);
    const botComments = w.gh
      .commentsOn(w.repo, number)
      .filter((c) => c.user.id === TEST_BOT.id)
      .map((c) => c.body.split("\n", 1)[0] ?? "");
    counts.push({ event: name, ok, outcome, ...countOf(w.gh.log.slice(from)), botComments });
  };
  const comment = async (name: string, author: World["users"]["writer"], body: string) => {
    const c = w.gh.addComment(w.repo, number, author, body);
    await job(name, "issue_comment", commentPayload({ body, author, number, commentId: c.id, createdAt: c.createdAt }));
  };
  const label = (name: string) =>
    job(name, "pull_request", pullPayload({ action: "labeled", sender: TEST_BOT, label: "ml-chatops:run", number }));
  try {
    await comment("comment → approval", w.users.writer, "/experiment run");
    await label("label → run → report");
    await comment("promote", w.users.maintainer, "/experiment promote");
    // Two seconds back: comment times have whole seconds, and the next approval must come after the push.
    const pushed = w.gh.push(w.repo, number, undefined, { at: Date.now() - 2000 });
    await job(
      "push",
      "pull_request",
      pullPayload({ action: "synchronize", sender: w.users.bob, headSha: pushed, number }),
    );
    await comment("comment → approval (2nd run)", w.users.writer, "/experiment run");
    await label("label → run → report (2nd run)");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (w.gh.problems.length > 0) throw new Error(`fake GitHub problems: ${w.gh.problems.join("; ")}`);
  return counts;
};

const ACTIONS =
  "Actions entry (on-comment / on-label, a process per event, each minting its own installation token: GitHub's ETags are per token, so no 304 carries over from one job to the next)";
const ENTRY_NAMES: Readonly<Record<Entry, string>> = {
  actions: `${ACTIONS}, as the shipped workflows run it: config and baseline from the job's checkout of the default branch (--default-branch-checkout)`,
  "actions-without-checkout": `${ACTIONS}, without --default-branch-checkout: config and baseline read through the contents API`,
  webhook: "webhook entry (a long-lived custom bot)",
};

/** The counts as lines for the bench output. */
export const formatRequestCounts = (
  entry: Entry,
  counts: ReadonlyArray<EventCount>,
  budget: number,
): ReadonlyArray<string> => [
  `GitHub requests per event through the ${ENTRY_NAMES[entry]}; budget ${budget} rate-limited requests, 304 = conditional read, not rate-limited`,
  ...counts.flatMap((c) => [
    `${c.event}: ${c.limited} rate-limited + ${c.notModified} × 304 = ${c.limited + c.notModified} requests` +
      ` (${c.limited <= budget ? "within" : "OVER"} budget; ${c.ok ? "" : "FAILED: "}${c.outcome});` +
      ` ${c.botComments.length} bot comment${c.botComments.length === 1 ? "" : "s"} on the PR`,
    ...c.operations.map(
      (o) =>
        `    ${o.operationId.padEnd(44)} ${String(o.limited).padStart(2)}${o.notModified > 0 ? ` + ${o.notModified} × 304` : ""}`,
    ),
  ]),
];

/** The bench entry. */
export const main = async (): Promise<void> => {
  for (const entry of ["actions", "actions-without-checkout", "webhook"] as const) {
    const started = performance.now();
    const counts = await countGitHubRequests(entry);
    const lines = formatRequestCounts(entry, counts, REQUEST_BUDGET);
    process.stdout.write(`\n${lines.join("\n")}\n(${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  }
};
