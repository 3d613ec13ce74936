/**
 * `npm run screenshot`: runs the demo, renders its report as GitHub would (GFM + Mermaid in
 * headless Chromium) and writes docs/report.png, the picture the README shows. Never drawn by hand.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openRenderer } from "./browser/render-report.js";

const dir = mkdtempSync(join(tmpdir(), "ml-chatops-screenshot-"));
const report = join(dir, "report.md");
const demo = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "demo", "--quiet", "--out", report], {
  stdio: ["ignore", "ignore", "inherit"],
});
if (demo.status !== 0) {
  process.stderr.write(`screenshot: the demo failed (exit ${String(demo.status)})\n`);
  process.exit(1);
}
const renderer = await openRenderer();
try {
  const page = await renderer.render(readFileSync(report, "utf8"), "docs/report.png");
  const broken = page.charts.filter((c) => !c.ok || c.overlaps.length > 0);
  if (broken.length > 0) {
    process.stderr.write(
      `screenshot: ${broken.length} chart(s) did not render cleanly: ${JSON.stringify(broken.map((c) => c.error ?? c.overlaps))}\n`,
    );
    process.exitCode = 1;
  }
  process.stdout.write(
    `docs/report.png: ${page.heightPx} px high, ${page.charts.length} chart(s), ${page.tables} table(s)\n`,
  );
} finally {
  await renderer.close();
  rmSync(dir, { recursive: true, force: true });
}
