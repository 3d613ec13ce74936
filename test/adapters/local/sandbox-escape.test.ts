/**
 * The issue-12 demonstration (SECURITY-CHECKLIST 76, 77, 78, 79, 80): a bot process holding
 * the secrets, with its key file named on its command line, runs hostile PR code on the local
 * runner. Sandboxed, the code finds nothing and plants nothing that ever runs; the control run
 * with `isolation: none` shows the same code does find the secrets when it is not sandboxed.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import type { Server } from "node:net";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LocalRunnerConfig } from "../../../src/adapters/local/index.js";
import type { RunStatus } from "../../../src/core/model.js";
import { createTempGitRepo } from "../../support/git-repo.js";
import type { TempGitRepo } from "../../support/git-repo.js";
import { ATTACKER_SCRIPT } from "./attacker.js";
import type { Probe } from "./attacker.js";
import { requestFor } from "./fixtures.js";

const TSX = createRequire(import.meta.url).resolve("tsx");
const BOT = join(process.cwd(), "test/adapters/local/sandbox-bot.ts");
const PEM =
  "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAsandboxtestkeymaterial0123456789\n-----END RSA PRIVATE KEY-----";
const SECRETS: Readonly<Record<string, string>> = {
  ML_CHATOPS_APP_PRIVATE_KEY: PEM,
  ML_CHATOPS_TOKEN: "ghp_sandboxTestPersonalToken0123456789ab",
  ML_CHATOPS_STATE_SECRET: "state-secret-sandbox-test-9f8e7d6c5b4a39281706",
  GITHUB_TOKEN: "ghs_sandboxTestInstallationToken012345",
  AWS_ACCESS_KEY_ID: "AKIASANDBOXTEST12345",
  AWS_SECRET_ACCESS_KEY: "aws/secret/sandbox+test/0123456789abcdefghij",
  ACTIONS_RUNTIME_TOKEN: "actions-runtime-sandbox-test-token-000111",
};
const KEY_FILE_SECRET = "key-file-only-secret-7c1d0e2f";
const HOME_SECRET = "bot-home-only-secret-5a6b7c8d";

type BotOut = { rejected?: { _tag: string; reason: string }; status?: RunStatus; logs?: string[]; result?: unknown };

describe("checks 76-80: hostile PR code on the local runner, in a bot that holds secrets", () => {
  let repo: TempGitRepo;
  let sha: string;
  let scratch: string;
  let server: Server;
  let port = 0;
  let connections = 0;

  before(async () => {
    repo = createTempGitRepo();
    sha = repo.commit({ "attacker.mjs": ATTACKER_SCRIPT, ".gitattributes": "* filter=x diff=x\n" }, "attack");
    scratch = mkdtempSync(join(tmpdir(), "ml-chatops-escape-"));
    for (const d of ["home/.config/gh", "markers", "runs"]) mkdirSync(join(scratch, d), { recursive: true });
    writeFileSync(join(scratch, "key.pem"), `${PEM}\n${KEY_FILE_SECRET}\n`);
    writeFileSync(join(scratch, "home/.config/gh/hosts.yml"), `oauth_token: ${HOME_SECRET}\n`);
    server = createServer((s) => {
      connections += 1;
      s.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    port = typeof address === "object" && address !== null ? address.port : 0;
  });
  after(() => {
    server.close();
    repo.remove();
    rmSync(scratch, { recursive: true, force: true });
  });

  const probe = (everything: boolean, repoPath = repo.path): Probe => ({
    files: [join(scratch, "key.pem"), "/etc/shadow", "/etc/environment", `/proc/${process.pid}/environ`],
    dirs: [join(scratch, "home"), scratch, process.env["HOME"] ?? "/root"],
    repoGitDir: join(repoPath, ".git"),
    markers: join(scratch, "markers"),
    port,
    everything,
  });

  const runBot = (config: Partial<LocalRunnerConfig>, p: Probe, repoPath = repo.path, commit = sha): Promise<BotOut> =>
    new Promise((resolve, reject) => {
      const cfg: LocalRunnerConfig = {
        repoPath,
        command: [process.execPath],
        tmpDir: join(scratch, "runs"),
        logTailLines: 1_000_000,
        logTailBytes: 64 * 1024 * 1024,
        ...config,
      };
      const args = [
        "--import",
        TSX,
        BOT,
        `--app-private-key-file=${join(scratch, "key.pem")}`,
        `--config=${JSON.stringify(cfg)}`,
        `--request=${JSON.stringify(requestFor(commit, { probe: JSON.stringify(p) }))}`,
      ];
      const child = spawn(process.execPath, args, {
        env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: join(scratch, "home"), ...SECRETS },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      let err = "";
      child.stdout.on("data", (c: Buffer) => (out += c.toString()));
      child.stderr.on("data", (c: Buffer) => (err += c.toString()));
      child.once("close", (code) => {
        try {
          resolve(JSON.parse(out) as BotOut);
        } catch {
          reject(new Error(`bot exited ${String(code)}: ${err.slice(0, 2000)}`));
        }
      });
    });

  const secretValues = [...Object.values(SECRETS), KEY_FILE_SECRET, HOME_SECRET, ...PEM.split("\n")];
  const leaked = (text: string): string[] =>
    secretValues.filter((v) => text.includes(v) || text.includes(JSON.stringify(v).slice(1, -1)));

  it("checks 76, 77, 78, 80: sandboxed, it reads no secret anywhere, reaches no network, and what it plants never runs", async () => {
    const connectionsBefore = connections;
    for (const round of [1, 2]) {
      const out = await runBot({}, probe(true));
      assert.equal(out.rejected, undefined, JSON.stringify(out.rejected));
      const logs = out.logs ?? [];
      assert.equal(out.status?.state, "succeeded", `round ${round}: ${out.status?.detail ?? ""}`);
      assert.equal(out.status?.detail, "exited 0 with a valid result (1 document)", "the default sandbox adds no note");
      assert.equal(logs[0], "[ml-chatops] sandbox: bubblewrap, network off", "the log is complete from its first line");
      assert.equal(logs.at(-1), "END", "the attacker got to the end");
      assert.deepEqual(leaked(JSON.stringify(out)), [], `round ${round}: no secret in the status, log or result`);
      // check 76: a fresh pid namespace: only the sandbox's own processes, and no ancestor beyond its pid 1.
      const pids = (logs.find((l) => l.startsWith("PIDS ")) ?? "").split(" ").slice(1);
      assert.ok(pids.length >= 1 && pids.length <= 3, `only sandbox processes are visible: ${pids.join(" ")}`);
      assert.match(logs.find((l) => l.startsWith("ANCESTORS ")) ?? "", / 1$|^ANCESTORS [0-9]+$/);
      assert.ok(
        logs.some((l) => l.startsWith("READ /proc/1/environ")),
        "it did read its pid 1's environ",
      );
      // check 77: no bot file: the key file, the bot's HOME, the test's own scratch directory.
      assert.ok(
        logs.includes(`DENIED ${join(scratch, "key.pem")} ENOENT`),
        "the key file named on the bot's command line is not there",
      );
      assert.ok(logs.includes(`DENIED ${join(scratch, "home")} ENOENT`), "the bot's HOME is not there");
      assert.ok(logs.includes(`DENIED /proc/${process.pid}/environ ENOENT`));
      assert.ok(logs.includes("DENIED /etc/shadow ENOENT") && logs.includes("DENIED /etc/environment ENOENT"));
      // check 78: no network.
      assert.match(logs.find((l) => l.startsWith("NET ")) ?? "", /^NET error (ECONNREFUSED|ENETUNREACH)$/);
      // check 80: its own checkout is fresh each round; the bot's repository is out of reach.
      assert.ok(logs.includes("PLANTED .git"));
      assert.match(logs.find((l) => l.startsWith(`PLANT-DENIED ${join(repo.path, ".git")}`)) ?? "", /ENOENT|EROFS/);
      assert.ok(
        !logs.some((l) => l.startsWith("READ .git/config") && l.includes("fsmonitor")),
        `round ${round}: no earlier run's config`,
      );
      assert.deepEqual(readdirSync(join(scratch, "markers")), [], `round ${round}: nothing planted ever ran`);
    }
    assert.equal(connections, connectionsBefore, "the loopback server saw no connection");
    assert.deepEqual(readdirSync(join(scratch, "runs")), [], "every run directory is removed");
  });

  it("check 78: network: true gives the sandbox the network, and the report says so", async () => {
    const before = connections;
    const out = await runBot({ network: true }, probe(true));
    assert.equal(out.status?.state, "succeeded", out.status?.detail);
    assert.equal(
      out.status?.detail,
      "exited 0 with a valid result (1 document); sandboxed with network access (config network: true)",
    );
    assert.ok(out.logs?.includes("NET connected"));
    assert.equal(connections, before + 1);
    assert.deepEqual(leaked(JSON.stringify(out)), []);
  });

  it("check 79: isolation: none is the only opt-out; it shows in the report, and the same code then finds the secrets", async () => {
    const control = createTempGitRepo();
    try {
      const controlSha = control.commit({ "attacker.mjs": ATTACKER_SCRIPT }, "attack");
      const out = await runBot({ isolation: "none" }, probe(false, control.path), control.path, controlSha);
      assert.equal(out.status?.state, "succeeded", out.status?.detail);
      assert.equal(
        out.status?.detail,
        "exited 0 with a valid result (1 document); not sandboxed (isolation: none in the runner config)",
      );
      assert.equal(out.logs?.[0], "[ml-chatops] not sandboxed: isolation: none in the runner config");
      const found = leaked(JSON.stringify(out));
      assert.ok(
        found.includes(SECRETS["GITHUB_TOKEN"] ?? "?"),
        "unsandboxed, the bot's environ is readable: the probe works",
      );
      assert.ok(found.includes(KEY_FILE_SECRET), "unsandboxed, the key file is readable");
    } finally {
      control.remove();
    }
  });
});
