/**
 * Shared arrangement for GitHub adapter tests: a fake GitHub with an App installed on octo/kw,
 * users of every role, PR #7, and clients built by the adapter's own factory (real Octokit with
 * retry + throttling) pointed at the fake in-process. Back-off units are shrunk to 1 ms and the
 * throttling groups are per-client without spacing, so tests run fast; spacing is tested apart.
 */
import Bottleneck from "bottleneck";
import * as E from "fp-ts/Either";
import type { Octokit } from "@octokit/core";
import { createGitHubOctokit, type GitHubClientDeps } from "../../../src/adapters/github/octokit.js";
import type { Logger } from "../../../src/core/ports.js";
import {
  createFakeGitHub,
  type FakeApp,
  type FakeGitHub,
  type FakeRepo,
  type FakeUser,
} from "../../support/fake-github/index.js";

export type Logged = { level: string; message: string };

export const memoryLogger = (): Logger & { lines: Logged[] } => {
  const lines: Logged[] = [];
  const at = (level: string) => (message: string) => void lines.push({ level, message });
  return { lines, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
};

export const fastGroups = (spacing: { writeMs?: number; notificationsMs?: number } = {}) => ({
  global: new Bottleneck.Group({ maxConcurrent: 10 }),
  auth: new Bottleneck.Group({ maxConcurrent: 1 }),
  search: new Bottleneck.Group({ maxConcurrent: 1 }),
  write: new Bottleneck.Group({ maxConcurrent: 1, minTime: spacing.writeMs ?? 0 }),
  notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: spacing.notificationsMs ?? 0 }),
});

export const FAST = { retryAfterBaseValueMs: 1, rateLimitBaseValueMs: 1 };

export type World = {
  gh: FakeGitHub;
  repo: FakeRepo;
  app: FakeApp;
  users: Record<"owner" | "admin" | "maintainer" | "writer" | "triager" | "reader" | "stranger" | "bob", FakeUser>;
  appClient: (deps?: Partial<GitHubClientDeps>, extra?: object) => Octokit;
  tokenClient: (user: FakeUser, deps?: Partial<GitHubClientDeps>) => Octokit;
};

export const createWorld = async (): Promise<World> => {
  const gh = await createFakeGitHub();
  const repo = gh.addRepo("octo", "kw");
  const u = (login: string) => gh.addUser(login);
  const users = {
    owner: gh.state.users.get("octo")!,
    admin: u("ada"),
    maintainer: u("mia"),
    writer: u("wes"),
    triager: u("tia"),
    reader: u("rex"),
    stranger: u("sam"),
    bob: u("bob"),
  };
  gh.grant(repo, users.admin, "admin");
  gh.grant(repo, users.maintainer, "maintain");
  gh.grant(repo, users.writer, "write");
  gh.grant(repo, users.triager, "triage");
  gh.grant(repo, users.reader, "read");
  gh.addPull(repo, { number: 7, user: users.bob });
  const app = gh.addApp({ slug: "ml-chatops", id: 314, botId: 4242 });
  gh.install(app, 99, [repo]);
  const appClient = (deps: Partial<GitHubClientDeps> = {}, extra: object = {}) =>
    createGitHubOctokit(
      { fetch: gh.fetch, throttleGroups: fastGroups(), ...deps },
      { auth: { kind: "app", appId: app.id, privateKey: app.privateKey, installationId: 99 }, ...FAST, ...extra },
    );
  const tokenClient = (user: FakeUser, deps: Partial<GitHubClientDeps> = {}) =>
    createGitHubOctokit(
      { fetch: gh.fetch, throttleGroups: fastGroups(), ...deps },
      { auth: { kind: "token", token: gh.addToken(user), source: "pat" }, ...FAST },
    );
  return { gh, repo, app, users, appClient, tokenClient };
};

export const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got Left ${JSON.stringify(e.left)}`);
  return e.right;
};
export const left = <L>(e: E.Either<L, unknown>): L => {
  if (E.isRight(e)) throw new Error(`expected Left, got Right ${JSON.stringify(e.right)}`);
  return e.left;
};
