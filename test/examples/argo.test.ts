import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parse, parseAllDocuments } from "yaml";
import { buildWorkflow } from "../../src/adapters/argo/workflow.js";
import { resolveArgoConfig } from "../../src/adapters/argo/config.js";
import { encodeJobSpec } from "../../src/core/job-spec.js";
import type { RunRequest } from "../../src/core/model.js";
import { checkWorkflow } from "../support/argo-emulator/specs.js";

const read = (name: string): string =>
  readFileSync(new URL(`../../examples/argo/argo/${name}`, import.meta.url), "utf8");
type Obj = Record<string, unknown>;

describe("examples/argo", () => {
  const example = parse(read("workflow.yaml")) as Obj;

  it("workflow.yaml validates against Argo's schema.json", () => {
    assert.deepEqual(checkWorkflow(example), []);
  });

  it("workflow.yaml is exactly what the runner builds for the documented request", () => {
    const config = resolveArgoConfig({
      baseUrl: "https://argo-server.argo.svc:2746",
      namespace: "ml-experiments",
      image: "ghcr.io/octo/ml-chatops-runner:0.1.0",
      serviceAccountName: "ml-chatops-runner",
    });
    const sha = "0123456789abcdef0123456789abcdef01234567";
    const req = {
      runKey: { pr: { owner: "octo", repo: "digits", number: 7 }, experiment: "train" },
      experimentId: "train",
      params: { c: "0.2" },
      pinnedSha: sha,
      pr: { owner: "octo", repo: "digits", number: 7, headRef: "x", headSha: sha },
      approvalId: "approval-0001",
    } as unknown as RunRequest;
    const job = encodeJobSpec({
      v: 1,
      experiment: "train",
      sha,
      command: ["python3", "train.py"],
      result: "out/result.json",
      timeoutMs: 1_800_000,
      env: { ML_CHATOPS_PARAM_C: "0.2", ML_CHATOPS_PARAMS_JSON: '{"c":0.2}' },
    });
    assert.deepEqual(example, JSON.parse(JSON.stringify(buildWorkflow(req, config, job))));
  });

  it("check 6 / check 69: no secret reference and no template expression outside env values", () => {
    const text = read("workflow.yaml");
    assert.ok(!/secretKeyRef|secrets?:/i.test(text.replace(/^#.*$/gm, "")));
    const container = ((example["spec"] as Obj)["templates"] as Array<Obj>)[0]!["container"] as Obj;
    assert.ok(!JSON.stringify(container["args"]).includes("{{"));
    assert.ok(!JSON.stringify(container["command"]).includes("{{"));
  });

  it("rbac.yaml is least privilege: namespaced Roles, no wildcards, no delete, no secrets; runner only reports results", () => {
    const docs = parseAllDocuments(read("rbac.yaml")).map((d) => d.toJS() as Obj);
    const kinds = docs.map((d) => d["kind"]);
    assert.ok(!kinds.includes("ClusterRole") && !kinds.includes("ClusterRoleBinding"));
    const roles = docs.filter((d) => d["kind"] === "Role");
    for (const role of roles) {
      for (const rule of role["rules"] as Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>) {
        assert.ok(![...rule.apiGroups, ...rule.resources, ...rule.verbs].includes("*"), "no wildcards");
        assert.ok(!rule.verbs.includes("delete") && !rule.verbs.includes("deletecollection"));
        assert.ok(!rule.resources.includes("secrets"));
      }
    }
    const runner = roles.find((r) => (r["metadata"] as Obj)["name"] === "ml-chatops-runner");
    assert.deepEqual(runner?.["rules"], [
      { apiGroups: ["argoproj.io"], resources: ["workflowtaskresults"], verbs: ["create", "patch"] },
    ]);
    const bot = roles.find((r) => (r["metadata"] as Obj)["name"] === "ml-chatops-bot");
    const botResources = (bot?.["rules"] as Array<{ resources: string[] }>).flatMap((r) => r.resources).sort();
    assert.deepEqual(botResources, ["pods", "pods/log", "workflows"]);
  });

  it("the Workflow runs as the runner service account, not the bot's", () => {
    assert.equal((example["spec"] as Obj)["serviceAccountName"], "ml-chatops-runner");
  });

  it("argo-server-access.yaml parses and lets only the bot reach argo-server", () => {
    const docs = parseAllDocuments(read("argo-server-access.yaml")).map((d) => d.toJS() as Obj);
    assert.deepEqual(
      docs.map((d) => d["kind"]),
      ["NetworkPolicy", "NetworkPolicy"],
    );
    const ingress = ((docs[0]!["spec"] as Obj)["ingress"] as Array<Obj>)[0]!;
    assert.equal(((ingress["from"] as Array<Obj>)[0]!["podSelector"] as Obj)["matchLabels"] !== undefined, true);
  });
});
