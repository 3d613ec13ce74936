/**
 * Jittered exponential backoff. Jitter only shortens a delay, so the configured maximum is a
 * hard cap on how late a finished build is noticed.
 */

/** Backoff settings. @internal */
export type Backoff = {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
  readonly jitter: number;
};

/**
 * The delay before poll number `attempt` (0-based). `random` returns [0, 1).
 *
 * @example
 * backoffDelay(2, { initialMs: 1000, maxMs: 8000, factor: 2, jitter: 0 }, Math.random); // 4000
 * @internal */
export const backoffDelay = (attempt: number, b: Backoff, random: () => number): number => {
  const raw = Math.min(b.maxMs, b.initialMs * b.factor ** Math.max(0, attempt));
  return Math.max(0, Math.round(raw * (1 - b.jitter * random())));
};
