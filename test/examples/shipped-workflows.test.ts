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

type Step = { uses?: string; with?: Record<string, unknown>; env?: Record<string, unknown> };
type Job = { if?: string; permissions?: unknown; steps?: Step[] };
type Doc = { on?: unknown; jobs?: Record<string, Job>; runs?: { steps?: Step[] } };

/** The top-level `&&` operands of an `if:` expression, trimmed (parenthesised groups stay whole). */
const conjuncts = (expr: string): string[] => {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < expr.length; i += 1) {
    const c = expr[i];
    if (c === "(") depth += 1;
    else if (c === ")") depth -= 1;
    else if (depth === 0 && expr.startsWith("&&", i)) {
      parts.push(expr.slice(start, i).trim());
      start = i + 2;
    }
  }
  return [...parts, expr.slice(start).trim()];
};
const pullRequestTypes = (on: unknown): string[] => {
  if (on === null || typeof on !== "object" || Array.isArray(on)) return [];
  return ["pull_request", "pull_request_target"].flatMap(
    (t) => (on as Record<string, { types?: string[] } | null>)[t]?.types ?? [],
  );
};

describe("shipped workflows", () => {
  it("are found (the scan is not vacuous)", () => {
    assert.ok(shipped.length >= 4, shipped.map((p) => relative(ROOT, p)).join(", "));
  });

  it("check 9: allow-unsafe-pr-checkout is only ever set in a job without secrets or write permissions", () => {
    for (const p of shipped) {
      const text = readFileSync(p, "utf8");
      const doc = parse(text) as { jobs?: Record<string, Job> };
      for (const [name, job] of Object.entries(doc.jobs ?? {})) {
        const unsafe = (job.steps ?? []).some(
          (s) => s.with?.["allow-unsafe-pr-checkout"] === true || s.with?.["allow-unsafe-pr-checkout"] === "true",
        );
        if (!unsafe) continue;
        const perms = JSON.stringify(job.permissions ?? "missing");
        assert.ok(
          !/write/.test(perms) && perms !== '"missing"',
          `${relative(ROOT, p)} job ${name}: unsafe checkout with permissions ${perms}`,
        );
        assert.doesNotMatch(
          JSON.stringify(job),
          /secrets\./,
          `${relative(ROOT, p)} job ${name}: unsafe checkout next to secrets`,
        );
      }
    }
  });

  it("check 71: no shipped workflow relies on repository_dispatch (so its payload limits never apply)", () => {
    for (const p of shipped) assert.doesNotMatch(readFileSync(p, "utf8"), /repository_dispatch/, relative(ROOT, p));
  });

  it("check 6: secrets.* appear only in a step's env, never at workflow or job level or in an action's inputs", () => {
    for (const p of shipped) {
      const { jobs, runs, ...top } = parse(readFileSync(p, "utf8")) as Doc;
      assert.doesNotMatch(JSON.stringify(top), /secrets\./, `${relative(ROOT, p)}: workflow level`);
      const groups = [...Object.entries(jobs ?? {}), ...(runs === undefined ? [] : [["runs", runs] as const])];
      for (const [name, { steps, ...job }] of groups) {
        assert.doesNotMatch(JSON.stringify(job), /secrets\./, `${relative(ROOT, p)} job ${name}: job level`);
        for (const step of steps ?? [])
          assert.doesNotMatch(
            JSON.stringify({ ...step, env: undefined }),
            /secrets\./,
            `${relative(ROOT, p)} job ${name}: outside a step's env`,
          );
      }
    }
  });

  it("check 15: where a workflow also triggers on synchronize, a label-gated job also requires the labeled action", () => {
    let gated = 0;
    for (const p of shipped) {
      const doc = parse(readFileSync(p, "utf8")) as Doc;
      const types = pullRequestTypes(doc.on);
      if (!types.includes("labeled") || !types.includes("synchronize")) continue;
      for (const [name, job] of Object.entries(doc.jobs ?? {})) {
        const expr = (job.if ?? "").replace(/^\$\{\{(.*)\}\}$/s, "$1");
        if (!/github\.event\.label\b/.test(expr)) continue;
        gated += 1;
        assert.ok(
          conjuncts(expr).includes("github.event.action == 'labeled'"),
          `${relative(ROOT, p)} job ${name}: a push would pass "${expr}"`,
        );
      }
    }
    assert.ok(gated >= 1, "no label-gated job found: the check is vacuous");
    assert.deepEqual(conjuncts("a == 'x' && (b || c && d) && !e"), ["a == 'x'", "(b || c && d)", "!e"]);
  });
});
