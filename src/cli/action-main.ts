/**
 * The action bundle's entry point (`npm run build:action` writes `action/index.cjs` from it).
 */
import { runAction } from "./action.js";
import { processIo } from "./io.js";

void runAction(processIo()).then((code) => {
  process.exitCode = code;
});
