import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { COMMANDS, runCli } from "../../src/cli/main.js";
import type { CliIo } from "../../src/cli/io.js";

const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env: {},
    cwd: process.cwd(),
    stderrIsTTY: false,
  };
  return { io, out: () => out.join(""), err: () => err.join("") };
};

describe("ml-chatops CLI dispatcher", () => {
  it("--help lists every sub-command with its summary, on stdout, exit 0", async () => {
    for (const flag of ["--help", "-h", "help"]) {
      const c = capture();
      assert.equal(await runCli([flag], c.io), 0);
      assert.match(c.out(), /^Usage: ml-chatops <command>/);
      for (const [name, entry] of Object.entries(COMMANDS))
        assert.ok(c.out().includes(`  ${name}`) && c.out().includes(entry.summary));
      assert.equal(c.err(), "");
    }
    assert.ok("keywords" in COMMANDS && "demo" in COMMANDS);
  });

  it("--version prints the package version", async () => {
    const c = capture();
    assert.equal(await runCli(["--version"], c.io), 0);
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    assert.equal(c.out(), `${pkg.version}\n`);
  });

  it("an unknown sub-command is one line on stderr and exit 2; no sub-command prints usage to stderr, exit 2", async () => {
    const c = capture();
    assert.equal(await runCli(["frobnicate", "--x"], c.io), 2);
    assert.equal(c.out(), "");
    assert.equal(c.err(), 'ml-chatops: unknown command "frobnicate"; run "ml-chatops --help" for the list\n');
    const proto = capture();
    assert.equal(await runCli(["constructor"], proto.io), 2, "prototype names are not commands");
    const none = capture();
    assert.equal(await runCli([], none.io), 2);
    assert.match(none.err(), /^Usage:/);
  });

  it("dispatches to a sub-command with the rest of argv (demo --help)", async () => {
    const c = capture();
    assert.equal(await runCli(["demo", "--help"], c.io), 0);
    assert.match(c.out(), /^Usage: ml-chatops demo/);
    const k = capture();
    assert.equal(await runCli(["keywords", "--help"], k.io), 0);
    assert.match(k.out(), /^Usage: ml-chatops keywords/);
  });
});
