#!/usr/bin/env node
// The installed `ml-chatops` command: runs the built CLI (npm ci builds dist/ through "prepare").
import("../dist/cli/main.js").then(
  (cli) => cli.main(),
  (e) => {
    process.stderr.write(
      `ml-chatops: cannot load the built CLI (dist/cli/main.js): ${String(e && e.message).split("\n")[0]}; run "npm run build"\n`,
    );
    process.exitCode = 70;
  },
);
