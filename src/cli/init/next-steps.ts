/**
 * What the user does after `init`: which secrets and variables to set, which GitHub App
 * permissions to grant, and what to create on the runner's side (IAM roles, Kubernetes objects).
 */
import { INIT_CORPUS_PATH, INIT_RESULT_PATH } from "./config-file.js";
import type { InitOptions, InitRunner } from "./options.js";

const APP = `Create a GitHub App (Settings -> Developer settings -> GitHub Apps; untick "Webhook -> Active") with
   repository permissions Metadata: Read, Contents: Read and write (read is enough without promote),
   Issues: Read and write, Pull requests: Read and write, Checks: Read and write (optional)`;

const RUNNER_STEPS: Readonly<Record<InitRunner, ReadonlyArray<string>>> = {
  local: [
    "The experiment runs on the labeled job's machine in a bubblewrap sandbox (no network, no secrets); the workflow installs bubblewrap.",
  ],
  codebuild: [
    "IAM (edit account id 123456789012, region us-east-1, OWNER/REPO and the project name in iam/*.json first):\n" +
      "   role ml-chatops-build: trust iam/build-trust-policy.json, policy iam/build-policy.json (writes its own logs only);\n" +
      "   OIDC provider token.actions.githubusercontent.com (audience sts.amazonaws.com);\n" +
      "   role ml-chatops-runner: trust iam/runner-trust-policy.json, policy iam/runner-policy.json (StartBuild, BatchGetBuilds, StopBuild, GetLogEvents)",
    "CodeBuild project ml-chatops: GitHub source of this repository, gitCloneDepth=0, service role ml-chatops-build, CloudWatch logs group /aws/codebuild/ml-chatops, no source webhooks",
    "Variables: ML_CHATOPS_AWS_ROLE_ARN (the ml-chatops-runner role), ML_CHATOPS_AWS_REGION, ML_CHATOPS_CODEBUILD_PROJECT (ml-chatops)",
  ],
  argo: [
    "Kubernetes: kubectl apply -f argo/rbac.yaml -f argo/argo-server-access.yaml; run argo-server with --auth-mode=client",
    "Image: docker build -t <registry>/ml-chatops-runner:<tag> argo/ and push it (add your experiment's toolchain to argo/Dockerfile)",
    "Variables: ML_CHATOPS_ARGO_SERVER (host:port or URL), ML_CHATOPS_ARGO_IMAGE (the image), ML_CHATOPS_ARGO_CA_PEM (argo-server's CA certificate, if private)",
    "Secret: ML_CHATOPS_ARGO_TOKEN (the token of service account ml-chatops-bot: kubectl -n ml-experiments get secret ml-chatops-bot-token -o jsonpath='{.data.token}' | base64 -d)",
  ],
  "github-actions": [
    "The App also needs Actions: Read and write (it dispatches, follows and cancels ml-chatops-experiment.yml and downloads its result artifact)",
  ],
};

const experimentStep = (o: InitOptions): string =>
  o.experiment.kind === "builtin"
    ? `Put your corpus at ${INIT_CORPUS_PATH} (JSON Lines, {"id": "…", "text": "…"} per line); a sample: cp node_modules/ml-chatops/examples/data/sample-talks.jsonl ${INIT_CORPUS_PATH}`
    : `Make ${JSON.stringify(o.experiment.command.join(" "))} write the result contract to ${INIT_RESULT_PATH} (e.g. {"metrics":{"accuracy":0.95}}); declare its params and metrics in .github/ml-chatops.yml; try it with npx ml-chatops run`;

/**
 * The numbered next steps printed after the files are written.
 *
 * @example
 * nextSteps({ runner: "codebuild", trigger: "/experiment", experiment: { kind: "builtin" }, force: false }, true);
 * // "Next steps:\n  1. …"
 */
export const nextSteps = (o: InitOptions, hasDependency: boolean): string => {
  const steps = [
    ...(hasDependency
      ? []
      : ["npm install --save-dev ml-chatops (the workflows install it with npm ci from your lock file)"]),
    experimentStep(o),
    APP + (o.runner === "github-actions" ? ", Actions: Read and write" : "") + "; install it on this repository",
    "Variables (Settings -> Secrets and variables -> Actions): ML_CHATOPS_APP_ID, ML_CHATOPS_APP_INSTALLATION_ID",
    "Secrets: ML_CHATOPS_APP_PRIVATE_KEY (the App's .pem), ML_CHATOPS_STATE_SECRET (openssl rand -hex 32)",
    ...RUNNER_STEPS[o.runner],
    "Create the label ml-chatops:run, commit these files with package.json and package-lock.json to the default branch",
    `On a pull request, comment: ${o.trigger} run   (${o.trigger} help lists the parameters)`,
  ];
  return `Next steps:\n${steps.map((s, i) => `  ${i + 1}. ${s}`).join("\n")}\n`;
};
