/**
 * The sandbox's command line and the decision whether PR code may run (SECURITY-CHECKLIST 76-79).
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as E from "fp-ts/Either";
import { createLocalRunner } from "../../../src/adapters/local/index.js";
import { buildBwrapArgs } from "../../../src/adapters/local/sandbox-argv.js";
import type { SandboxPlan } from "../../../src/adapters/local/sandbox-argv.js";
import {
  credentialNames,
  decideIsolation,
  hostRoot,
  probePlan,
  toolchainMounts,
} from "../../../src/adapters/local/sandbox.js";
import { requestFor, scriptExperiment } from "./fixtures.js";

const plan: SandboxPlan = {
  root: [
    { kind: "ro-bind", path: "/usr" },
    { kind: "symlink", path: "/bin", target: "usr/bin" },
    { kind: "ro-bind-try", path: "/etc/ssl" },
  ],
  checkout: "/tmp/run-1/checkout",
  writable: ["/tmp/run-1/out"],
  env: { PATH: "/usr/bin", HOME: "/home/ml-chatops" },
  home: "/home/ml-chatops",
  network: false,
};
const scratch = mkdtempSync(join(tmpdir(), "ml-chatops-sandbox-test-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe("bwrap command line", () => {
  const args = buildBwrapArgs(plan, ["/usr/bin/node", "train.mjs", "--x=1"]);
  const at = (flag: string, from = 0): number => args.indexOf(flag, from);

  it("checks 76, 78: new namespaces for everything, the user one explicitly, no nested user namespace, no network", () => {
    for (const flag of ["--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session"])
      assert.ok(at(flag) >= 0, flag);
    assert.equal(at("--share-net"), -1, "no network by default");
    assert.deepEqual(args.slice(at("--cap-drop"), at("--cap-drop") + 2), ["--cap-drop", "ALL"]);
    assert.ok(buildBwrapArgs({ ...plan, network: true }, ["x"]).includes("--share-net"), "network: true shares it");
  });

  it("check 76: a fresh /proc and /dev; check 77: private HOME and /tmp before any bind below them", () => {
    assert.deepEqual(args.slice(at("--proc"), at("--proc") + 2), ["--proc", "/proc"]);
    assert.deepEqual(args.slice(at("--dev"), at("--dev") + 2), ["--dev", "/dev"]);
    const tmp = at("--tmpfs");
    assert.deepEqual(args.slice(tmp, tmp + 4), ["--tmpfs", "/tmp", "--tmpfs", "/home/ml-chatops"]);
    assert.ok(tmp < at("--ro-bind") && tmp < at("--bind"), "tmpfs first, so a checkout under /tmp stays visible");
  });

  it("check 77: toolchains read-only, only the checkout and the result directory writable, and the checkout is the cwd", () => {
    assert.deepEqual(args.slice(at("--ro-bind"), at("--ro-bind") + 3), ["--ro-bind", "/usr", "/usr"]);
    assert.deepEqual(args.slice(at("--symlink"), at("--symlink") + 3), ["--symlink", "usr/bin", "/bin"]);
    assert.deepEqual(args.slice(at("--ro-bind-try"), at("--ro-bind-try") + 3), [
      "--ro-bind-try",
      "/etc/ssl",
      "/etc/ssl",
    ]);
    const binds = args.flatMap((a, i) => (a === "--bind" ? [args[i + 1]] : []));
    assert.deepEqual(binds, ["/tmp/run-1/checkout", "/tmp/run-1/out"]);
    assert.deepEqual(args.slice(at("--chdir"), at("--chdir") + 2), ["--chdir", "/tmp/run-1/checkout"]);
  });

  it("check 77: the host root shows Debian's MeCab dictionaries read-only (mecabrc points there), nothing else of /var", () => {
    const root = hostRoot([]);
    assert.deepEqual(
      root.filter((e) => e.path.startsWith("/var")),
      [{ kind: "ro-bind-try", path: "/var/lib/mecab" }],
    );
    assert.ok(root.some((e) => e.path === "/etc/mecabrc" && e.kind === "ro-bind-try"));
  });

  it("checks 6, 7: the environment is cleared and only the plan's variables are set; the command follows --", () => {
    const clear = at("--clearenv");
    assert.ok(clear >= 0 && clear < at("--setenv"));
    const set = args.flatMap((a, i) => (a === "--setenv" ? [`${args[i + 1] ?? ""}=${args[i + 2] ?? ""}`] : []));
    assert.deepEqual(set, ["PATH=/usr/bin", "HOME=/home/ml-chatops"]);
    assert.deepEqual(args.slice(at("--")), ["--", "/usr/bin/node", "train.mjs", "--x=1"]);
  });
});

describe("whether PR code may run here (check 79)", () => {
  const fakeBwrap = (body: string): string => {
    const p = join(scratch, `bwrap-${Math.random().toString(36).slice(2)}`);
    writeFileSync(p, `#!/bin/sh\n${body}\n`);
    chmodSync(p, 0o755);
    return p;
  };
  const probe = probePlan(scratch, { PATH: "/usr/bin:/bin" });

  it("credentials are recognised by name, empty values are not credentials", () => {
    const env = {
      ML_CHATOPS_APP_PRIVATE_KEY: "k",
      ML_CHATOPS_TOKEN: "t",
      ML_CHATOPS_STATE_SECRET: "s",
      GITHUB_TOKEN: "g",
      AWS_SECRET_ACCESS_KEY: "a",
      AWS_ACCESS_KEY_ID: "i",
      AWS_PROFILE: "p",
      ACTIONS_RUNTIME_TOKEN: "r",
      GH_TOKEN: "",
      PATH: "/bin",
      GIT_AUTHOR_NAME: "x",
      AWS_REGION: "eu-west-1",
    };
    assert.deepEqual(credentialNames(env), [
      "ACTIONS_RUNTIME_TOKEN",
      "AWS_ACCESS_KEY_ID",
      "AWS_PROFILE",
      "AWS_SECRET_ACCESS_KEY",
      "GITHUB_TOKEN",
      "ML_CHATOPS_APP_PRIVATE_KEY",
      "ML_CHATOPS_STATE_SECRET",
      "ML_CHATOPS_TOKEN",
    ]);
  });

  it("no bwrap and credentials: refused with one line saying why and what to do", async () => {
    const d = await decideIsolation(
      { isolation: "bubblewrap", bwrapPath: join(scratch, "no-such-bwrap") },
      { GITHUB_TOKEN: "x", PATH: "/usr/bin" },
      probe,
    );
    assert.ok("refused" in d);
    assert.equal(d.refused.split("\n").length, 1);
    assert.match(
      d.refused,
      /^refusing to run PR code without a sandbox while this process holds credentials \(GITHUB_TOKEN\): no sandbox: bubblewrap is not installed \(no .*no-such-bwrap on PATH\)\. Install bubblewrap .* or set runner\.settings\.isolation: none/,
    );
  });

  it("bwrap that cannot create namespaces and credentials: refused, naming bwrap's own error", async () => {
    const broken = fakeBwrap('echo "bwrap: setting up uid map: Permission denied" >&2; exit 1');
    const d = await decideIsolation(
      { isolation: "bubblewrap", bwrapPath: broken },
      { ML_CHATOPS_STATE_SECRET: "x" },
      probe,
    );
    assert.ok("refused" in d);
    assert.match(d.refused, /\(ML_CHATOPS_STATE_SECRET\): no sandbox: bwrap: setting up uid map: Permission denied\./);
  });

  it("no bwrap and no credential: runs unsandboxed, and says so", async () => {
    const d = await decideIsolation(
      { isolation: "bubblewrap", bwrapPath: join(scratch, "no-such-bwrap") },
      { PATH: "/usr/bin" },
      probe,
    );
    assert.deepEqual(d, {
      kind: "none",
      why: `no sandbox: bubblewrap is not installed (no ${join(scratch, "no-such-bwrap")} on PATH); this process holds no credential`,
    });
  });

  it("a working bwrap is used; isolation: none never probes", async () => {
    const d = await decideIsolation(
      { isolation: "bubblewrap", bwrapPath: "bwrap" },
      { GITHUB_TOKEN: "x", PATH: "/usr/bin:/bin" },
      probe,
    );
    assert.deepEqual(d, { kind: "bubblewrap", bwrap: "/usr/bin/bwrap" });
    const none = await decideIsolation(
      { isolation: "none", bwrapPath: join(scratch, "no-such-bwrap") },
      { GITHUB_TOKEN: "x" },
      probe,
    );
    assert.deepEqual(none, { kind: "none", why: "isolation: none in the runner config" });
  });

  it("the runner refuses to start (RunRejected) where bwrap is missing and the bot process holds a credential", async () => {
    const runner = createLocalRunner(
      {
        experiments: [scriptExperiment],
        env: { PATH: "/usr/bin:/bin" },
        processEnv: { ML_CHATOPS_APP_PRIVATE_KEY: "-----BEGIN" },
      },
      { repoPath: scratch, command: [process.execPath], bwrapPath: join(scratch, "no-such-bwrap") },
    );
    const started = await runner.start(requestFor("a".repeat(40), {}))();
    assert.ok(E.isLeft(started));
    assert.equal(started.left._tag, "RunRejected");
    assert.match(
      started.left._tag === "RunRejected" ? started.left.reason : "",
      /refusing to run PR code without a sandbox .*\(ML_CHATOPS_APP_PRIVATE_KEY\): no sandbox: bubblewrap is not installed/,
    );
  });
});

describe("toolchain mounts", () => {
  it("the program's install prefix and the package a script belongs to, outside /usr", () => {
    const tool = join(scratch, "opt", "bin", "tool");
    mkdirSync(dirname(tool), { recursive: true });
    writeFileSync(tool, "");
    const dep = join(scratch, "app", "node_modules", "ml-chatops", "bin", "cli.js");
    mkdirSync(dirname(dep), { recursive: true });
    writeFileSync(dep, "");
    assert.deepEqual(toolchainMounts(["/usr/bin/node", "/usr/bin/git"]), [], "under /usr: already mounted");
    assert.deepEqual(toolchainMounts([tool]), [join(scratch, "opt")], "a program's prefix is two levels up");
    assert.deepEqual(
      toolchainMounts(["/usr/bin/node", dep]),
      [join(scratch, "app", "node_modules")],
      "an installed package: its node_modules tree",
    );
    assert.deepEqual(
      toolchainMounts(["/usr/bin/node", join(scratch, "missing.js")]),
      [],
      "a path that does not exist mounts nothing",
    );
    const here = toolchainMounts(["/usr/bin/node", `--import=${join(process.cwd(), "bin", "ml-chatops.js")}`]);
    assert.ok(here.includes(process.cwd()), "the package root of the bot's own CLI, also from an --import= flag");
  });
});
