/**
 * What a CLI command may touch of the process, passed in so commands are testable in-process.
 * Only the CLI reads the environment; the library never does.
 */
export type CliIo = {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** True when stderr is a terminal (progress output is shown only then). */
  readonly stderrIsTTY: boolean;
};

/** A CLI sub-command: gets its own argv (after the sub-command name), returns the exit code. */
export type CliCommand = (argv: ReadonlyArray<string>, io: CliIo) => Promise<number>;

/** The process's own io. */
export const processIo = (): CliIo => ({
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  stderrIsTTY: process.stderr.isTTY === true,
});
