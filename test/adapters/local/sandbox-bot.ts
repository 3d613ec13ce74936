/**
 * A stand-in bot process for the sandbox tests: holds the secrets in its environment, names
 * its key file on its own command line (as `--app-private-key-file=`), runs one experiment on
 * the local runner and prints what came back as one JSON line.
 */
import * as E from "fp-ts/Either";
import { createLocalRunner } from "../../../src/adapters/local/index.js";
import type { LocalRunnerConfig } from "../../../src/adapters/local/index.js";
import type { RunRequest } from "../../../src/core/model.js";
import { attackerExperiment } from "./attacker.js";
import { allLogs, waitTerminal } from "./fixtures.js";

const flag = (name: string): string => {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (arg === undefined) throw new Error(`missing --${name}=`);
  return arg.slice(name.length + 3);
};

const main = async (): Promise<void> => {
  flag("app-private-key-file"); // only there to be seen on this process's command line
  const config = JSON.parse(flag("config")) as LocalRunnerConfig;
  const request = JSON.parse(flag("request")) as RunRequest;
  const runner = createLocalRunner({ experiments: [attackerExperiment], env: process.env }, config);
  const started = await runner.start(request)();
  if (E.isLeft(started)) {
    process.stdout.write(`${JSON.stringify({ rejected: started.left })}\n`);
    return;
  }
  const status = await waitTerminal(runner, started.right);
  const logs = await allLogs(runner, started.right);
  const result = await runner.result(started.right)();
  process.stdout.write(`${JSON.stringify({ status, logs, result })}\n`);
};

void main();
