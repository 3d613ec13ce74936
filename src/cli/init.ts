/**
 * `ml-chatops init --runner local|codebuild|argo|github-actions [--trigger …] [--experiment …] [--force]`:
 * writes a working setup into the repository in the current directory, from the templates that
 * ship in this package, then prints the next steps. It writes nothing when any file it would
 * write exists already (unless --force).
 */
import { lstatSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import * as E from "fp-ts/Either";
import type { CliCommand } from "./io.js";
import { planFiles, withTrigger, type PlannedFile } from "./init/manifest.js";
import { nextSteps } from "./init/next-steps.js";
import { BUILTIN_EXPERIMENT, DEFAULT_TRIGGER, INIT_RUNNERS, parseInitArgs } from "./init/options.js";

/** `init --help`. */
export const INIT_USAGE = `Usage: ml-chatops init --runner ${INIT_RUNNERS.join("|")} [--trigger WORD] [--experiment EXP] [--force]

Writes a working ml-chatops setup into the repository in the current directory, from the
templates shipped in the package (node_modules/ml-chatops/examples/), then prints the next steps
(secrets, variables, GitHub App permissions, the runner's roles). Every runner gets
.github/ml-chatops.yml and the two workflows (comment -> label, label -> run); codebuild adds
buildspec.yml and the IAM policy documents (iam/), argo the Kubernetes objects and image (argo/),
github-actions the experiment workflow. The workflows call the installed CLI
(npx --no-install ml-chatops), pin every action to a commit SHA and start from permissions: {}.

Options:
  --runner KIND        where approved experiments run: local (a bubblewrap sandbox on the labeled
                       job's machine), codebuild (AWS CodeBuild), argo (Argo Workflows),
                       github-actions (a workflow_dispatch of .github/workflows/ml-chatops-experiment.yml)
  --trigger WORD       the command word comments start with (default ${DEFAULT_TRIGGER}); written to
                       .github/ml-chatops.yml and to the comment workflow's filter
  --experiment EXP     what a run executes: ${BUILTIN_EXPERIMENT} (default: the built-in TF-IDF keywords
                       of corpus.jsonl) or ID=COMMAND, your own experiment, e.g. "train=python3 train.py"
                       (COMMAND is split on spaces into an argv, never run by a shell; it writes its
                       result to out/result.json)
  --force              overwrite files that exist already (without it, nothing is written then)
  -h, --help           show this help

Exit codes: 0 written, 1 a file exists (nothing written) or cannot be written, 2 bad usage.
`;

/** The package's root: this file is src/cli/init.ts, or a chunk in dist/cli/. */
const PACKAGE_ROOT = new URL("../../", import.meta.url);

const textOf = (f: PlannedFile): string => {
  if ("text" in f) return f.text;
  const text = readFileSync(new URL(f.from, PACKAGE_ROOT), "utf8");
  return f.trigger === undefined ? text : withTrigger(text, f.trigger);
};

const exists = (path: string): boolean => {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
};

const dependsOnUs = (cwd: string): boolean => {
  try {
    const pkg = JSON.parse(readFileSync(join(cwd, "package.json"), "utf8")) as Record<
      string,
      Record<string, unknown> | undefined
    >;
    return ["dependencies", "devDependencies"].some((k) => pkg[k]?.["ml-chatops"] !== undefined);
  } catch {
    return false;
  }
};

/** Writes one file, never through a symbolic link and never outside `root`. */
const writeInside = (root: string, to: string, text: string): void => {
  const target = join(root, to);
  mkdirSync(dirname(target), { recursive: true });
  const parent = relative(root, realpathSync(dirname(target)));
  if (parent.startsWith("..") || parent.startsWith(sep))
    throw new Error(`${to}: its directory leads outside the repository`);
  if (exists(target)) rmSync(target);
  writeFileSync(target, text, { flag: "wx" });
};

/**
 * Runs `ml-chatops init`.
 *
 * @example
 * const code = await runInit(["--runner", "codebuild"], processIo());
 */
export const runInit: CliCommand = async (argv, io) => {
  const args = parseInitArgs(argv);
  if (E.isLeft(args)) {
    io.stderr(`ml-chatops init: ${args.left}; see ml-chatops init --help\n`);
    return 2;
  }
  if (args.right._tag === "Help") {
    io.stdout(INIT_USAGE);
    return 0;
  }
  const options = args.right.options;
  const files = planFiles(options);
  const present = files.filter((f) => exists(join(io.cwd, f.to))).map((f) => f.to);
  if (present.length > 0 && !options.force) {
    io.stderr(
      `ml-chatops init: ${present.join(", ")} ${present.length === 1 ? "exists" : "exist"} already; nothing was written (--force overwrites)\n`,
    );
    return 1;
  }
  let texts: ReadonlyArray<readonly [string, string]>;
  try {
    texts = files.map((f) => [f.to, textOf(f)] as const);
  } catch (e) {
    io.stderr(
      `ml-chatops init: a template is missing from the installed package (${(e instanceof Error ? e.message : String(e)).split("\n")[0] ?? ""}); reinstall ml-chatops\n`,
    );
    return 1;
  }
  for (const [to, text] of texts) {
    try {
      writeInside(io.cwd, to, text);
    } catch (e) {
      io.stderr(
        `ml-chatops init: cannot write ${to}: ${(e instanceof Error ? e.message : String(e)).split("\n")[0] ?? ""}\n`,
      );
      return 1;
    }
    io.stdout(`${present.includes(to) ? "overwrote" : "wrote"} ${to}\n`);
  }
  io.stdout(`\n${nextSteps(options, dependsOnUs(io.cwd))}`);
  return 0;
};
