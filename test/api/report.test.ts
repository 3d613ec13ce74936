/**
 * Issue 14 part 4: the public API is small and every change to it is a visible decision. The
 * committed api/public-api.md must equal a fresh report, the budgets hold (root entry at most 30
 * values, all entries at most 120), the report's values are exactly what each entry exports at
 * run time, and internals are tagged `@internal` (and public exports are not).
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  BUDGET,
  lineDiff,
  readApiSurface,
  renderApiReport,
  REPO_ROOT,
  REPORT_PATH,
  valueCount,
  type ApiSurface,
} from "../../scripts/api-report.js";

describe("the public API report (issue 14 part 4)", () => {
  let surface: ApiSurface;
  before(() => {
    surface = readApiSurface();
  });

  it("api/public-api.md is the report of the current sources", () => {
    const committed = existsSync(REPORT_PATH) ? readFileSync(REPORT_PATH, "utf8") : "";
    const fresh = renderApiReport(surface);
    assert.ok(
      committed === fresh,
      `api/public-api.md is stale: run npm run api:report and commit\n${lineDiff(committed, fresh)}`,
    );
  });

  it(`the root entry exports at most ${BUDGET.rootValues} values and all entries at most ${BUDGET.totalValues}`, () => {
    const root = surface.entries.find((e) => e.file === "src/index.ts");
    assert.ok(root !== undefined, "package.json exports has no root entry (src/index.ts)");
    const total = surface.entries.reduce((n, e) => n + valueCount(e), 0);
    assert.ok(valueCount(root) <= BUDGET.rootValues, `the root entry exports ${valueCount(root)} values`);
    assert.ok(total <= BUDGET.totalValues, `all entries export ${total} values`);
    // Every code subpath of package.json is in the report (the root and 7 subpaths today).
    assert.ok(surface.entries.length >= 8, `only ${surface.entries.length} entries read`);
  });

  it("the report's values are exactly each entry's runtime exports", async () => {
    for (const e of surface.entries) {
      const loaded = (await import(pathToFileURL(join(REPO_ROOT, e.file)).href)) as Record<string, unknown>;
      const reported = e.exports.filter((x) => x.kind === "value").map((x) => x.name);
      assert.deepEqual(
        Object.keys(loaded).sort(),
        [...reported].sort(),
        `${e.file}: runtime exports differ from the report`,
      );
    }
  });

  it("internals carry @internal in their TSDoc and public exports do not", () => {
    assert.deepEqual(
      surface.untaggedInternals,
      [],
      "exported from a library file but from no entry point: run npm run api:report (it adds @internal) or export it from an entry",
    );
    assert.deepEqual(surface.taggedPublic, [], "exported from an entry point but tagged @internal");
  });
});
