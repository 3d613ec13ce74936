import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parse, parseAllDocuments } from "yaml";

// Every workflow and action we ship, wherever it lives: examples and the root action.yml.
const ROOT = resolve(import.meta.dirname, "..", "..");
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : /\.ya?ml$/.test(name) ? [p] : [];
  });
// Kubernetes manifests hold several documents; a workflow or action is a single one.
const shipped = [...walk(join(ROOT, "examples")), join(ROOT, "action.yml")].filter((p) => {
  const docs = Array.from(parseAllDocuments(readFileSync(p, "utf8")));
  const doc = docs.length === 1 ? (docs[0]?.toJS() as Record<string, unknown> | null) : null;
  return doc !== null && typeof doc === "object" && ("jobs" in doc || "runs" in doc);
});

type Step = { uses?: string; with?: Record<string, unknown> };
type Job = { permissions?: unknown; steps?: Step[] };

describe("shipped workflows", () => {
  it("are found (the scan is not vacuous)", () => {
    assert.ok(shipped.length >= 4, shipped.map((p) => relative(ROOT, p)).join(", "));
  });

  it("check 9: allow-unsafe-pr-checkout is only ever set in a job without secrets or write permissions", () => {
    for (const p of shipped) {
      const text = readFileSync(p, "utf8");
      const doc = parse(text) as { jobs?: Record<string, Job> };
      for (const [name, job] of Object.entries(doc.jobs ?? {})) {
        const unsafe = (job.steps ?? []).some((s) => s.with?.["allow-unsafe-pr-checkout"] === true || s.with?.["allow-unsafe-pr-checkout"] === "true");
        if (!unsafe) continue;
        const perms = JSON.stringify(job.permissions ?? "missing");
        assert.ok(!/write/.test(perms) && perms !== '"missing"', `${relative(ROOT, p)} job ${name}: unsafe checkout with permissions ${perms}`);
        assert.doesNotMatch(JSON.stringify(job), /secrets\./, `${relative(ROOT, p)} job ${name}: unsafe checkout next to secrets`);
      }
    }
  });

  it("check 71: no shipped workflow relies on repository_dispatch (so its payload limits never apply)", () => {
    for (const p of shipped) assert.doesNotMatch(readFileSync(p, "utf8"), /repository_dispatch/, relative(ROOT, p));
  });
});
