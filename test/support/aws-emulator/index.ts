/**
 * Test support: a local CodeBuild + CloudWatch Logs emulator and the real SDK clients wired to it.
 */
export * from "./builds.js";
export * from "./server.js";
export * from "./clients.js";
