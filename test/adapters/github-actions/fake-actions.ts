/**
 * GitHub Actions operations added to the shared fake GitHub (test/support/fake-github) through its
 * documented extension point, `gh.api.register(operationId, handler)`: requests and responses are
 * still validated against GitHub's OpenAPI description by the fake. The dispatchable workflow is
 * the one we ship (examples/github-actions-runner), parsed from YAML, so its declared inputs and
 * run-name are what the fake enforces. Artifacts are served as zips from a second loopback server,
 * which download-artifact's 302 points to (fetch follows it, as against GitHub).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { Context } from "openapi-backend";
import { after, before } from "node:test";
import assert from "node:assert/strict";
import type { FakeGitHub, FakeRepo } from "../../support/fake-github/index.js";
import { createFakeGitHub, repoKey } from "../../support/fake-github/index.js";

type Obj = { [k: string]: unknown };
type Resp = { status: number; body?: unknown; headers?: Record<string, string> };

export const WORKFLOW_FILE = "ml-chatops-experiment.yml";

/** The Actions operations this file implements: pass them as `createFakeGitHub({ extraOperations })`. */
export const FAKE_ACTIONS_OPERATIONS = [
  "actions/create-workflow-dispatch",
  "actions/list-workflow-runs",
  "actions/get-workflow-run",
  "actions/list-jobs-for-workflow-run",
  "actions/cancel-workflow-run",
  "actions/list-workflow-run-artifacts",
  "actions/download-artifact",
] as const;
const WORKFLOW_PATH = new URL(
  "../../../examples/github-actions-runner/.github/workflows/ml-chatops-experiment.yml",
  import.meta.url,
);
type WorkflowStep = { readonly name?: string; readonly uses?: string; readonly run?: string };
/** The experiment job's step names as GitHub shows them: the `name:`, else "Run <uses or first line>". */
export const STEP_NAMES: ReadonlyArray<string> = (
  parse(readFileSync(WORKFLOW_PATH, "utf8")) as { jobs: { experiment: { steps: ReadonlyArray<WorkflowStep> } } }
).jobs.experiment.steps.map((st) => st.name ?? `Run ${st.uses ?? (st.run ?? "").split("\n")[0] ?? ""}`);

/** How a dispatched run behaves: its `[status, conclusion]` after each GET, and what it uploads. */
export type RunScript = {
  readonly states: ReadonlyArray<readonly [string, string | null]>;
  /** Name of the step that failed, when the run fails. */
  readonly failedStep?: string | undefined;
  readonly artifact?: { readonly name: string; readonly zip: Buffer } | undefined;
};

export type FakeRun = {
  readonly id: number;
  readonly repo: FakeRepo;
  readonly inputs: Readonly<Record<string, string>>;
  readonly ref: string;
  readonly headSha: string;
  readonly displayTitle: string;
  readonly script: RunScript;
  gets: number;
  cancelled: boolean;
};

const error = (status: number, message: string): Resp => ({
  status,
  body: { message, documentation_url: "https://docs.github.com/rest" },
});

/**
 * Adds Actions to a fake GitHub. `returnRunDetails: false` behaves like an older GHES that always
 * answers 204; `listDelay` hides a new run from the first N list calls (replication lag).
 *
 * @example
 * const actions = await addFakeActions(gh, repo);
 */
export const addFakeActions = async (gh: FakeGitHub, repo: FakeRepo) => {
  const wf = parse(readFileSync(WORKFLOW_PATH, "utf8")) as {
    "run-name": string;
    on: { workflow_dispatch: { inputs: Record<string, { required?: boolean }> } };
  };
  const declared = wf.on.workflow_dispatch.inputs;
  const workflowId = 161_335;
  const runs: Array<FakeRun> = [];
  const world = {
    runs,
    script: {
      states: [
        ["queued", null],
        ["in_progress", null],
        ["completed", "success"],
      ],
    } as RunScript,
    returnRunDetails: true,
    listDelay: 0,
    listCalls: 0,
  };
  let nextRun = 7_000_000;
  let nextArtifact = 500;
  const artifacts = new Map<number, { run: FakeRun; name: string; zip: Buffer }>();

  const blob = createServer((req, res) => {
    const m = /^\/artifacts\/(\d+)\.zip$/.exec(new URL(req.url ?? "/", "http://x").pathname);
    const a = m === null ? undefined : artifacts.get(Number(m[1]));
    if (a === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/zip", "content-length": String(a.zip.length) }).end(a.zip);
  });
  await new Promise<void>((resolve) => blob.listen(0, "127.0.0.1", resolve));
  const blobBase = `http://127.0.0.1:${(blob.address() as AddressInfo).port}`;

  const ours = (c: Context): boolean =>
    repoKey(String(c.request.params["owner"]), String(c.request.params["repo"])) === repoKey(repo.owner, repo.name);
  const isOurWorkflow = (c: Context): boolean =>
    [WORKFLOW_FILE, String(workflowId)].includes(String(c.request.params["workflow_id"]));
  const runOf = (c: Context): FakeRun | undefined => runs.find((r) => r.id === Number(c.request.params["run_id"]));
  const stateOf = (r: FakeRun): readonly [string, string | null] => {
    if (r.cancelled) return ["completed", "cancelled"];
    const s = r.script.states;
    return s[Math.max(0, Math.min(r.gets, s.length) - 1)] ?? ["queued", null];
  };
  const runJson = (r: FakeRun): Obj => {
    const [status, conclusion] = stateOf(r);
    const base = gh.api.mockResponseForOperation("actions/get-workflow-run").mock as Obj;
    const api = `https://api.github.com/repos/${repo.owner}/${repo.name}/actions/runs/${r.id}`;
    return {
      ...base,
      id: r.id,
      name: "ml-chatops experiment",
      display_title: r.displayTitle,
      head_branch: r.ref,
      head_sha: r.headSha,
      path: `.github/workflows/${WORKFLOW_FILE}@${r.ref}`,
      event: "workflow_dispatch",
      status,
      conclusion,
      workflow_id: workflowId,
      url: api,
      html_url: `https://github.com/${repo.owner}/${repo.name}/actions/runs/${r.id}`,
      created_at: "2026-11-27T12:00:00Z",
      run_started_at: "2026-11-27T12:00:05Z",
      updated_at: status === "completed" ? "2026-11-27T12:03:05Z" : "2026-11-27T12:00:05Z",
      pull_requests: [],
    };
  };
  const render = (template: string, inputs: Readonly<Record<string, string>>): string =>
    template.replace(/\$\{\{\s*inputs\.([a-z_]+)\s*\}\}/g, (_, k: string) => inputs[k] ?? "");

  gh.api.register("actions/create-workflow-dispatch", (c: Context) => {
    if (!ours(c) || !isOurWorkflow(c)) return error(404, "Not Found");
    const body = (c.request.requestBody ?? {}) as Obj;
    const ref = String(body["ref"]);
    const head = repo.branches.get(ref);
    if (head === undefined) return error(422, `No ref found for: ${ref}`);
    const inputs = (body["inputs"] ?? {}) as Record<string, unknown>;
    const unexpected = Object.keys(inputs).filter((k) => !(k in declared));
    if (unexpected.length > 0) return error(422, `Unexpected inputs provided: ${JSON.stringify(unexpected)}`);
    const missing = Object.entries(declared).find(([k, d]) => d.required === true && !(k in inputs));
    if (missing !== undefined) return error(422, `Required input '${missing[0]}' not provided`);
    const strInputs = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, String(v)]));
    const run: FakeRun = {
      id: ++nextRun,
      repo,
      inputs: strInputs,
      ref,
      headSha: head,
      displayTitle: render(wf["run-name"], strInputs),
      script: world.script,
      gets: 0,
      cancelled: false,
    };
    runs.push(run);
    if (run.script.artifact !== undefined) artifacts.set(++nextArtifact, { run, ...run.script.artifact });
    if (world.returnRunDetails && body["return_run_details"] === true) {
      const html = `https://github.com/${repo.owner}/${repo.name}/actions/runs/${run.id}`;
      return {
        status: 200,
        body: {
          workflow_run_id: run.id,
          run_url: `https://api.github.com/repos/${repo.owner}/${repo.name}/actions/runs/${run.id}`,
          html_url: html,
        },
      };
    }
    return { status: 204, body: null };
  });

  gh.api.register("actions/list-workflow-runs", (c: Context) => {
    if (!ours(c) || !isOurWorkflow(c)) return error(404, "Not Found");
    world.listCalls += 1;
    const q = c.request.query as Record<string, string | undefined>;
    const visible = world.listCalls > world.listDelay ? runs : [];
    const list = visible
      .filter(
        (r) =>
          (q["branch"] === undefined || q["branch"] === r.ref) &&
          (q["event"] === undefined || q["event"] === "workflow_dispatch"),
      )
      .slice()
      .reverse()
      .map(runJson);
    return { status: 200, body: { total_count: list.length, workflow_runs: list } };
  });

  gh.api.register("actions/get-workflow-run", (c: Context) => {
    const r = ours(c) ? runOf(c) : undefined;
    if (r === undefined) return error(404, "Not Found");
    r.gets += 1;
    return { status: 200, body: runJson(r) };
  });

  gh.api.register("actions/list-jobs-for-workflow-run", (c: Context) => {
    const r = ours(c) ? runOf(c) : undefined;
    if (r === undefined) return error(404, "Not Found");
    const [status, conclusion] = stateOf(r);
    const base =
      ((gh.api.mockResponseForOperation("actions/list-jobs-for-workflow-run").mock as Obj)["jobs"] as Array<Obj>)[0] ??
      {};
    // The shipped workflow's own steps, named as GitHub names them.
    const names = STEP_NAMES;
    const failedAt = conclusion === "failure" ? names.indexOf(r.script.failedStep ?? "Run the experiment") : -1;
    const steps = names.map((name, i) => ({
      name,
      number: i + 1,
      status: status === "completed" || i < failedAt ? "completed" : "queued",
      conclusion:
        status !== "completed"
          ? null
          : failedAt < 0 || i < failedAt
            ? "success"
            : i === failedAt
              ? "failure"
              : "skipped",
    }));
    const job = {
      ...base,
      created_at: "2026-11-27T12:00:01Z",
      id: r.id * 10,
      run_id: r.id,
      name: "experiment",
      head_sha: r.headSha,
      head_branch: r.ref,
      status,
      conclusion,
      workflow_name: "ml-chatops experiment",
      steps,
    };
    return { status: 200, body: { total_count: 1, jobs: [job] } };
  });

  gh.api.register("actions/cancel-workflow-run", (c: Context) => {
    const r = ours(c) ? runOf(c) : undefined;
    if (r === undefined) return error(404, "Not Found");
    if (stateOf(r)[0] === "completed") return error(409, "Cannot cancel a workflow run that is completed.");
    r.cancelled = true;
    return { status: 202, body: {} };
  });

  gh.api.register("actions/list-workflow-run-artifacts", (c: Context) => {
    const r = ours(c) ? runOf(c) : undefined;
    if (r === undefined) return error(404, "Not Found");
    const name = (c.request.query as Record<string, string | undefined>)["name"];
    const done = stateOf(r)[0] === "completed";
    const list = [...artifacts.entries()]
      .filter(([, a]) => a.run === r && done && (name === undefined || a.name === name))
      .map(([id, a]) => ({
        id,
        node_id: Buffer.from(`Artifact:${id}`).toString("base64"),
        name: a.name,
        size_in_bytes: a.zip.length,
        url: `https://api.github.com/repos/${repo.owner}/${repo.name}/actions/artifacts/${id}`,
        archive_download_url: `https://api.github.com/repos/${repo.owner}/${repo.name}/actions/artifacts/${id}/zip`,
        expired: false,
        created_at: "2026-11-27T12:03:00Z",
        expires_at: "2026-12-04T12:03:00Z",
        updated_at: "2026-11-27T12:03:00Z",
        workflow_run: {
          id: r.id,
          repository_id: repo.id,
          head_repository_id: repo.id,
          head_branch: r.ref,
          head_sha: r.headSha,
        },
      }));
    return { status: 200, body: { total_count: list.length, artifacts: list } };
  });

  gh.api.register("actions/download-artifact", (c: Context) => {
    const id = Number(c.request.params["artifact_id"]);
    if (!ours(c) || !artifacts.has(id)) return error(404, "Not Found");
    if (c.request.params["archive_format"] !== "zip") return error(422, "archive_format must be zip");
    return { status: 302, headers: { location: `${blobBase}/artifacts/${id}.zip` } };
  });

  return {
    world,
    runs,
    close: () =>
      new Promise<void>((resolve) => {
        blob.closeAllConnections();
        blob.close(() => resolve());
      }),
  };
};

/** A fake GitHub with Actions for `octo/kw`, a bot token with write access, served on loopback. */
export type FakeActionsWorld = {
  gh: FakeGitHub;
  repo: FakeRepo;
  actions: Awaited<ReturnType<typeof addFakeActions>>;
  server: { baseUrl: string; close: () => Promise<void> };
  token: string;
};

/**
 * Registers `before`/`after` hooks (call it inside `describe`) that build the world and, at the
 * end, close it and require that every request and response matched GitHub's OpenAPI description.
 *
 * @example
 * const w = useFakeActionsWorld();
 * it("…", () => new Octokit({ auth: w.token, baseUrl: w.server.baseUrl }));
 */
export const useFakeActionsWorld = (): FakeActionsWorld => {
  const w = {} as FakeActionsWorld;
  before(async () => {
    w.gh = await createFakeGitHub({ extraOperations: FAKE_ACTIONS_OPERATIONS });
    const bot = w.gh.addUser("ml-chatops-bot");
    w.repo = w.gh.addRepo("octo", "kw");
    w.gh.grant(w.repo, bot, "write");
    w.token = w.gh.addToken(bot);
    w.actions = await addFakeActions(w.gh, w.repo);
    w.server = await w.gh.listen();
  });
  after(async () => {
    await w.server.close();
    await w.actions.close();
    assert.deepEqual(w.gh.problems, [], "every request and response matched GitHub's OpenAPI description");
  });
  return w;
};
