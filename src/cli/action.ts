/**
 * The GitHub Action's entry: `action.yml` runs the one bundled file built from this module
 * (`action/index.cjs`, committed), so a workflow step starts in about a second instead of running
 * `npm ci` and a build first. Inputs arrive as `INPUT_<NAME>` variables (the runner's convention,
 * upper-cased, hyphens kept); they become the CLI's `ML_CHATOPS_*` environment and argv, never a
 * shell line. Outputs go to `GITHUB_OUTPUT` through the CLI itself.
 */
import type { CliIo } from "./io.js";
import { runCli } from "./main.js";

/** The sub-commands the action runs. */
const COMMANDS: ReadonlyArray<string> = ["on-comment", "on-label", "collect"];

// Action input → CLI environment variable. Empty inputs are dropped, so an unset App input never
// shadows a token (the CLI picks App or PAT by what is set).
const INPUT_ENV: ReadonlyArray<readonly [string, string]> = [
  ["app-id", "ML_CHATOPS_APP_ID"],
  ["app-installation-id", "ML_CHATOPS_APP_INSTALLATION_ID"],
  ["app-private-key", "ML_CHATOPS_APP_PRIVATE_KEY"],
  ["token", "ML_CHATOPS_TOKEN"],
  ["state-secret", "ML_CHATOPS_STATE_SECRET"],
  ["codebuild-project", "ML_CHATOPS_CODEBUILD_PROJECT"],
];

const inputName = (name: string): string => `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;

/** What the action's inputs ask for: the CLI argv and environment, or one line saying what is wrong. */
export type ActionInvocation =
  | {
      readonly _tag: "Run";
      readonly argv: ReadonlyArray<string>;
      readonly env: Readonly<Record<string, string | undefined>>;
    }
  | { readonly _tag: "Invalid"; readonly reason: string };

/**
 * Turns the step's environment (`INPUT_*` plus the runner's own variables) into a CLI call.
 *
 * @example
 * toInvocation({ INPUT_COMMAND: "on-label", INPUT_RUNNER: "codebuild", "INPUT_STATE-SECRET": "…" });
 * // { _tag: "Run", argv: ["on-label", "--runner", "codebuild"], env: { ML_CHATOPS_STATE_SECRET: "…", … } }
 */
export const toInvocation = (stepEnv: Readonly<Record<string, string | undefined>>): ActionInvocation => {
  const input = (name: string): string => (stepEnv[inputName(name)] ?? "").trim();
  const command = input("command");
  if (!COMMANDS.includes(command)) {
    return {
      _tag: "Invalid",
      reason: `input "command" must be one of ${COMMANDS.join(", ")}, got ${JSON.stringify(command.slice(0, 40))}`,
    };
  }
  const detach = input("detach") || "false";
  if (detach !== "true" && detach !== "false")
    return {
      _tag: "Invalid",
      reason: `input "detach" must be true or false, got ${JSON.stringify(detach.slice(0, 40))}`,
    };
  const runner = input("runner");
  const checkout = input("default-branch-checkout");
  if (checkout !== "" && command === "collect")
    return { _tag: "Invalid", reason: 'input "default-branch-checkout" is for on-comment and on-label, not collect' };
  const argv = [
    command,
    ...(command === "on-comment" || runner === "" ? [] : ["--runner", runner]),
    ...(command === "on-label" && detach === "true" ? ["--detach"] : []),
    ...(checkout === "" ? [] : ["--default-branch-checkout", checkout]),
  ];
  // The inputs themselves stay out of the CLI's environment: only their ML_CHATOPS_* names go on.
  const env: Record<string, string | undefined> = Object.fromEntries(
    Object.entries(stepEnv).filter(([k]) => !k.startsWith("INPUT_")),
  );
  for (const [name, variable] of INPUT_ENV) {
    const value = stepEnv[inputName(name)];
    if (value !== undefined && value !== "") env[variable] = value;
  }
  return { _tag: "Run", argv, env };
};

/**
 * Runs the action in this process and returns the exit code (a failed step for anything but 0).
 *
 * @example
 * process.exitCode = await runAction(processIo());
 */
export const runAction = async (io: CliIo): Promise<number> => {
  const call = toInvocation(io.env);
  if (call._tag === "Invalid") {
    // The runner shows `::error::` lines as annotations on the run.
    io.stderr(`::error::ml-chatops action: ${call.reason}\n`);
    return 2;
  }
  return runCli(call.argv, { ...io, env: call.env });
};
