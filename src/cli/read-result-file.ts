/**
 * Reads the result file an experiment wrote, as data from hostile code: only a regular file
 * inside the checkout, never through a symlink, never more than the cap, and never blocking on a
 * FIFO or a device (SECURITY-CHECKLIST 81).
 */
import { constants } from "node:fs";
import { lstat, open, realpath } from "node:fs/promises";
import * as path from "node:path";
import * as E from "fp-ts/Either";

const describe = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split("\n")[0] ?? "";

const kindOf = (s: { isSymbolicLink(): boolean; isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string =>
  s.isSymbolicLink() ? "a symbolic link" : s.isDirectory() ? "a directory" : s.isFIFO() ? "a FIFO" : s.isSocket() ? "a socket" : s.isCharacterDevice() || s.isBlockDevice() ? "a device" : "not a regular file";

/**
 * The text of `relative` under `root`, or one line saying why not: missing, not a regular file,
 * outside the checkout (a folder on the way is a symlink out), larger than `maxBytes`, not UTF-8.
 *
 * @example
 * await readResultFile("/work/checkout", "out/result.json", 4 * 1024 * 1024); // Right('{"metrics":…}')
 */
export const readResultFile = async (root: string, relative: string, maxBytes: number): Promise<E.Either<string, string>> => {
  const file = path.resolve(root, relative);
  let before;
  try {
    before = await lstat(file);
  } catch (e) {
    return E.left((e as NodeJS.ErrnoException).code === "ENOENT" ? `the command wrote no result file at ${relative}` : `cannot read the result file ${relative}: ${describe(e)}`);
  }
  if (!before.isFile()) return E.left(`the result file ${relative} is ${kindOf(before)}; only a regular file is read`);
  try {
    const [realRoot, realDir] = await Promise.all([realpath(root), realpath(path.dirname(file))]);
    if (realDir !== realRoot && !realDir.startsWith(`${realRoot}${path.sep}`)) return E.left(`the result file ${relative} is outside the checkout (a folder on its path is a link)`);
  } catch (e) {
    return E.left(`cannot resolve the result file ${relative}: ${describe(e)}`);
  }
  if (before.size > maxBytes) return E.left(`the result file ${relative} is ${before.size} bytes; at most ${maxBytes} are read`);
  let handle;
  try {
    // O_NOFOLLOW and O_NONBLOCK: a symlink or FIFO swapped in after the lstat fails or never blocks.
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    return E.left(`cannot open the result file ${relative}: ${describe(e)}`);
  }
  try {
    const now = await handle.stat();
    if (!now.isFile() || now.ino !== before.ino || now.dev !== before.dev) return E.left(`the result file ${relative} was replaced while it was read`);
    const buffer = Buffer.alloc(Math.min(maxBytes, now.size) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) return E.left(`the result file ${relative} is over ${maxBytes} bytes; at most ${maxBytes} are read`);
      if (length === buffer.length) break;
    }
    if (length > Math.min(maxBytes, now.size)) return E.left(`the result file ${relative} grew while it was read`);
    try {
      return E.right(new TextDecoder("utf-8", { fatal: true }).decode(buffer.subarray(0, length)));
    } catch {
      return E.left(`the result file ${relative} is not UTF-8 text`);
    }
  } finally {
    await handle.close();
  }
};
