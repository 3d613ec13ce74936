import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { buildWorkflow, toLabelValue, workflowNameFor, CHECKOUT_SCRIPT } from "../../../src/adapters/argo/workflow.js";
import { resolveArgoConfig } from "../../../src/adapters/argo/config.js";
import { checkWorkflow } from "../../support/argo-emulator/specs.js";
import { SHA, request } from "./fixtures.js";

const BASE = {
  baseUrl: "https://argo.example:2746",
  namespace: "ml",
  image: "ghcr.io/octo/kw:1",
  token: "sekret-token-123",
};
const config = resolveArgoConfig(BASE);
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

type Container = {
  command: ReadonlyArray<string>;
  args: ReadonlyArray<string>;
  env: ReadonlyArray<{ name: string; value: string }>;
};
const containerOf = (wf: ReturnType<typeof buildWorkflow>): Container =>
  ((wf.spec["templates"] as ReadonlyArray<{ container: Container }>)[0] as { container: Container }).container;

describe("Argo Workflow template", () => {
  it("validates against Argo's schema.json (default, generateName and service-account variants)", () => {
    assert.deepEqual(checkWorkflow(buildWorkflow(request(), config)), []);
    const other = resolveArgoConfig({
      ...BASE,
      deterministicName: false,
      serviceAccountName: "ml-runner",
      podGCStrategy: "OnPodSuccess",
      labels: { team: "nlp" },
    });
    const wf = buildWorkflow(request({ params: {} }), other);
    assert.deepEqual(checkWorkflow(wf), []);
    assert.equal(wf.metadata.generateName, "ml-chatops-");
    assert.equal(wf.metadata.name, undefined);
    assert.equal(wf.spec["serviceAccountName"], "ml-runner");
  });

  it("a broken Workflow is caught by the schema check (the check is live)", () => {
    const wf = buildWorkflow(request(), config);
    assert.notDeepEqual(checkWorkflow({ ...wf, kind: "Pod" }), []);
    assert.notDeepEqual(checkWorkflow({ ...wf, spec: { ...wf.spec, activeDeadlineSeconds: "soon" } }), []);
  });

  it("sets deadline, pod GC, resources, labels with the sanitised run key and the full key as annotation", () => {
    const wf = buildWorkflow(request(), config);
    assert.equal(wf.spec["activeDeadlineSeconds"], 1800);
    assert.deepEqual(wf.spec["podGC"], { strategy: "OnWorkflowCompletion" });
    assert.equal(wf.metadata.labels["ml-chatops/run-key"], "octo.kw.7.tfidf-keywords");
    assert.equal(wf.metadata.annotations["ml-chatops/run-key"], "octo/kw#7:tfidf-keywords");
    assert.equal(wf.metadata.labels["ml-chatops/pr"], "7");
    assert.ok(JSON.stringify(containerOf(wf)).includes('"limits":{"cpu":"2","memory":"2Gi"}'));
  });

  it("check 59: the name is derived from the approval id (same approval, same name)", () => {
    const a = buildWorkflow(request(), config).metadata.name;
    assert.equal(a, buildWorkflow(request(), config).metadata.name);
    assert.equal(a, workflowNameFor("approval-0001", "ml-chatops-"));
    assert.notEqual(a, buildWorkflow(request({ approvalId: "approval-0002" }), config).metadata.name);
    assert.match(a ?? "", /^ml-chatops-[0-9a-f]{16}$/);
  });

  it("check 11: the pinned SHA is a Workflow parameter; no branch or PR ref is checked out", () => {
    const wf = buildWorkflow(request(), config);
    assert.deepEqual(
      wf.spec.arguments.parameters.find((p) => p.name === "pinned-sha"),
      { name: "pinned-sha", value: SHA },
    );
    assert.ok(!JSON.stringify(wf).includes("feature/x"), "head ref must not appear");
    assert.match(CHECKOUT_SCRIPT, /git checkout -q --detach "\$PINNED_SHA"/);
    assert.match(CHECKOUT_SCRIPT, /git rev-parse HEAD/);
  });

  it("check 69: user values reach the container only through env; command and args are constants", () => {
    const evil = { max_df: "$(id)`id`;rm -rf /'\"", top_k: "5" };
    const wf = buildWorkflow(request({ params: evil }), config);
    const c = containerOf(wf);
    assert.deepEqual(c.command, ["/bin/sh", "-c"]);
    assert.deepEqual(c.args, [
      CHECKOUT_SCRIPT,
      "ml-chatops-checkout",
      "ml-chatops",
      "exec",
      "--output",
      "/tmp/ml-chatops/result.json",
    ]);
    assert.ok(!CHECKOUT_SCRIPT.includes("{{"), "no Argo template expression in the script");
    for (const v of Object.values(evil)) assert.ok(!c.args.join("\n").includes(v));
    // Each user value is a parameter; env refers to it by name only.
    const envMaxDf = c.env.find((e) => e.name === "ML_CHATOPS_PARAM_MAX_DF");
    assert.match(envMaxDf?.value ?? "", /^\{\{inputs\.parameters\.param-\d+\}\}$/);
    assert.ok(wf.spec.arguments.parameters.some((p) => p.value === evil.max_df));
    for (const e of c.env)
      assert.ok(!e.value.includes("$(") && !e.value.includes("`"), `env ${e.name} carries no code`);
  });

  it("check 6: no bot credential reaches the Workflow", () => {
    const text = JSON.stringify(buildWorkflow(request(), config));
    assert.ok(!text.includes("sekret-token-123"));
    assert.ok(!/authorization|bearer/i.test(text));
  });

  const labelCases: ReadonlyArray<[string, string]> = [
    ["octo/kw#7:tfidf-keywords", "octo.kw.7.tfidf-keywords"],
    ["-leading/and-trailing-", "leading.and-trailing"],
    ["日本語/レポ#1:x", "1.x"],
  ];
  for (const [input, want] of labelCases) {
    it(`label value of ${JSON.stringify(input)}`, () => assert.equal(toLabelValue(input), want));
  }
  it("long run keys become ≤63-char label values with a hash suffix, distinct per key", () => {
    const a = toLabelValue(`${"o".repeat(40)}/${"r".repeat(40)}#12345:tfidf-keywords`);
    const b = toLabelValue(`${"o".repeat(40)}/${"r".repeat(40)}#12346:tfidf-keywords`);
    for (const v of [a, b, toLabelValue("///"), toLabelValue("")]) {
      assert.ok(v.length <= 63 && LABEL_VALUE.test(v), v);
    }
    assert.notEqual(a, b);
  });

  it("a bad config throws one line naming the field", () => {
    assert.throws(() => resolveArgoConfig({ ...BASE, namespace: "Not_Valid" }), /namespace/);
    assert.throws(() => resolveArgoConfig({ ...BASE, activeDeadlineSeconds: "1h" }), /activeDeadlineSeconds/);
    assert.throws(() => resolveArgoConfig({ namespace: "ml" }), /baseUrl/);
  });
});
