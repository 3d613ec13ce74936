/**
 * Reading a file that PR code wrote, as data (SECURITY-CHECKLIST 81): a regular file only (no
 * symlink, FIFO, device, socket or directory, and no symlinked directory on the way), its size
 * capped before reading, the read itself capped and bounded by a deadline.
 */
import { constants } from "node:fs";
import { lstat, open } from "node:fs/promises";
import { isAbsolute, join, sep } from "node:path";
import * as E from "fp-ts/Either";

/**
 * Limits of one read.
 *
 * @example
 * const limits: BoundedReadLimits = { maxBytes: 4 * 1024 * 1024, timeoutMs: 2000 };
 * @internal */
export type BoundedReadLimits = { readonly maxBytes: number; readonly timeoutMs: number };

const kindOf = (st: {
  isSymbolicLink: () => boolean;
  isFIFO: () => boolean;
  isCharacterDevice: () => boolean;
  isBlockDevice: () => boolean;
  isSocket: () => boolean;
  isDirectory: () => boolean;
}): string =>
  st.isSymbolicLink()
    ? "a symbolic link"
    : st.isFIFO()
      ? "a FIFO"
      : st.isCharacterDevice() || st.isBlockDevice()
        ? "a device"
        : st.isSocket()
          ? "a socket"
          : st.isDirectory()
            ? "a directory"
            : "not a regular file";

const code = (cause: unknown): string =>
  typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : String(cause);

const readChecked = async (root: string, relPath: string, maxBytes: number): Promise<E.Either<string, Buffer>> => {
  if (isAbsolute(relPath) || relPath.split(/[\\/]/).some((p) => p === ".." || p === "")) {
    return E.left(`${JSON.stringify(relPath)} is not a plain relative path`);
  }
  // Every directory on the way must be a real directory: a link could lead out of `root`.
  const parts = relPath.split(/[\\/]/);
  let dir = root;
  for (const part of parts.slice(0, -1)) {
    dir = join(dir, part);
    const st = await lstat(dir).catch(() => undefined);
    if (st === undefined) return E.left(`${relPath} does not exist (no directory ${part})`);
    if (!st.isDirectory() || st.isSymbolicLink())
      return E.left(`${relPath} is refused: ${dir.slice(root.length + 1)} is ${kindOf(st)}, not a directory`);
  }
  const file = join(root, ...parts);
  const st = await lstat(file).catch((cause: unknown) => code(cause));
  if (typeof st === "string")
    return E.left(st === "ENOENT" ? `${relPath} does not exist` : `${relPath} cannot be read (${st})`);
  if (!st.isFile()) return E.left(`${relPath} is refused: it is ${kindOf(st)}, not a regular file`);
  if (st.size > maxBytes) return E.left(`${relPath} is ${st.size} bytes, over the cap of ${maxBytes}`);
  // O_NOFOLLOW and O_NONBLOCK: a file swapped for a link or a FIFO since lstat neither leads
  // elsewhere nor blocks; fstat then confirms it is still the same regular file.
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(
    (cause: unknown) => code(cause),
  );
  if (typeof handle === "string") return E.left(`${relPath} cannot be opened (${handle})`);
  try {
    const now = await handle.stat();
    if (!now.isFile() || now.ino !== st.ino || now.dev !== st.dev)
      return E.left(`${relPath} is refused: it was replaced while being read`);
    const buf = Buffer.alloc(Math.min(maxBytes, now.size) + 1);
    let got = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, got, buf.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
      if (got > maxBytes) return E.left(`${relPath} grew past the cap of ${maxBytes} bytes while being read`);
      if (got === buf.length) return E.left(`${relPath} grew while being read`);
    }
    return E.right(buf.subarray(0, got));
  } finally {
    await handle.close();
  }
};

/**
 * Reads `relPath` below `root` (a directory the caller trusts) under `limits`: Right(the bytes)
 * or Left(one line naming the file and what is wrong). Never follows a link, never blocks on a
 * FIFO, never reads more than `maxBytes`, and gives up after `timeoutMs`.
 *
 * @example
 * const bytes = await readBoundedFile("/tmp/run-1/checkout", "out/result.json", { maxBytes: RESULT_LIMITS.maxBytes, timeoutMs: 5000 });
 * @internal */
export const readBoundedFile = (
  root: string,
  relPath: string,
  limits: BoundedReadLimits,
): Promise<E.Either<string, Buffer>> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<E.Either<string, Buffer>>((resolve) => {
    timer = setTimeout(
      () => resolve(E.left(`${relPath} was not read within ${limits.timeoutMs} ms`)),
      limits.timeoutMs,
    );
  });
  const read = readChecked(root.endsWith(sep) ? root.slice(0, -1) : root, relPath, limits.maxBytes).catch(
    (cause: unknown) => E.left(`${relPath} cannot be read (${code(cause)})`),
  );
  return Promise.race([read, late]).finally(() => clearTimeout(timer));
};
