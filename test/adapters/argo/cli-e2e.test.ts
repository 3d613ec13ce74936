import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runGitHubEvent } from "../../../src/cli/github-commands.js";
import type { CliIo } from "../../../src/cli/io.js";
import { commentPayload, pullPayload } from "../../fixtures/github/payloads.js";
import { createWorld, type World } from "../github/setup.js";
import { startArgoEmulator } from "../../support/argo-emulator/server.js";
import type { ArgoEmulator } from "../../support/argo-emulator/server.js";
import { actionsEvent, appCredentials } from "../../support/actions-event.js";

// `ml-chatops on-comment` then `ml-chatops on-label --runner argo --detach`, in-process, with the
// fake GitHub and the argo-server emulator: the label event submits a Workflow at the pinned SHA.
describe("CLI on-label --runner argo (fake GitHub + emulated argo-server)", () => {
  let w: World;
  let emu: ArgoEmulator;
  let dir: string;
  before(async () => {
    w = await createWorld();
    emu = await startArgoEmulator({ token: "argo-e2e" });
    dir = mkdtempSync(join(tmpdir(), "argo-e2e-"));
  });
  after(async () => {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(w.gh.problems, []);
    assert.deepEqual(emu.violations, []);
  });

  const event = (name: string, payload: unknown): Record<string, string> =>
    actionsEvent(dir, name, payload, { GITHUB_RUN_ID: "5" });

  it("check 11: the approved SHA reaches the Workflow as a parameter; the bot's credentials do not", async () => {
    const pr = w.gh.addPull(w.repo, { number: 301, user: w.users.bob });
    const c = w.gh.addComment(w.repo, 301, w.users.writer, "/experiment run max_df=0.4");
    const lines: Array<string> = [];
    const base = {
      ...appCredentials(w.app, { secret: "e6d102215ce48d2f7e4d239c4c6dedf5851b7a63ec8df23562d553660deb1fc8" }),
      GITHUB_API_URL: "https://api.github.com",
      ARGO_SERVER: emu.url,
      ARGO_TOKEN: emu.token,
      ARGO_NAMESPACE: "ml",
      ML_CHATOPS_ARGO_IMAGE: "ghcr.io/octo/kw-runner:1",
    };
    const io = (env: Record<string, string>): CliIo => ({
      stdout: () => undefined,
      stderr: (t) => void lines.push(t),
      env,
      cwd: dir,
      stderrIsTTY: false,
    });
    const deps = { fetch: w.gh.fetch };
    const comment = commentPayload({
      body: c.body,
      author: w.users.writer,
      number: 301,
      commentId: c.id,
      createdAt: c.createdAt,
    });
    assert.equal(
      await runGitHubEvent("comment", [], io({ ...base, ...event("issue_comment", comment) }), deps),
      0,
      lines.join(""),
    );
    const labeled = pullPayload({
      action: "labeled",
      sender: { login: "ml-chatops[bot]", id: 4242, type: "Bot" },
      label: "ml-chatops:run",
      number: 301,
    });
    const code = await runGitHubEvent(
      "label",
      ["--runner", "argo", "--detach"],
      io({ ...base, ...event("pull_request", labeled) }),
      deps,
    );
    assert.equal(code, 0, lines.join(""));
    assert.match(lines.at(-1) ?? "", /on-label: Detached/);
    const wf = [...emu.workflows.values()].at(-1);
    const params = (wf?.submitted["spec"] as { arguments: { parameters: Array<{ name: string; value: string }> } })
      .arguments.parameters;
    assert.equal(params.find((p) => p.name === "pinned-sha")?.value, pr.pull?.headSha);
    assert.equal(params.find((p) => p.name === "pr-number")?.value, "301");
    const text = JSON.stringify(wf?.submitted);
    assert.ok(!text.includes("PRIVATE KEY") && !text.includes(emu.token) && !text.includes("state-secret"), "check 6");
  });
});
