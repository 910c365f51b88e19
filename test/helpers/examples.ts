/**
 * What the bundled examples/ hold, counted once: the tests that count example runs read their
 * expectation from here, so an example added changes a number in the tables below, not a hundred
 * assertions.
 *
 * examples/ holds 41 `thread.run` objects (weather-bot, support-desk, exports, legacy-v1, stuck;
 * `run_X0RomPO2XHazXRwkRTNze8ZY` is in two files and counts once) and, in examples/responses/,
 * 10 Responses API `response` objects: a waiting chain of two, an answered chain of two, a
 * stalled background one, a failed and an incomplete one, one in a conversation whose items answer
 * its function call but not its MCP approval request, a stream transcript that ends in a waiting
 * call, and the response that replaced `run_wHusDjuFqvKQ3sDZ0rwv2Vhk` (same instructions, tools
 * and calls). Statuses are as the list shows them at the examples' noon (a response that ends
 * with a call nothing answers is `requires_action`).
 */

/** The runs of examples/ by status. */
export const EXAMPLE_RUNS_BY_STATUS = {
  requires_action: 6,
  expired: 4,
  failed: 4,
  incomplete: 2,
  cancelling: 2,
  in_progress: 2,
  queued: 2,
  cancelled: 4,
  completed: 14,
  paused_for_review: 1,
} as const;

/** The responses of examples/responses/ by status. */
export const EXAMPLE_RESPONSES_BY_STATUS = {
  requires_action: 4,
  failed: 1,
  incomplete: 1,
  queued: 1,
  completed: 3,
} as const;

const sum = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);

/** `thread.run` objects in examples/. */
export const EXAMPLE_RUN_COUNT = sum(EXAMPLE_RUNS_BY_STATUS);
/** `response` objects in examples/responses/. */
export const EXAMPLE_RESPONSE_COUNT = sum(EXAMPLE_RESPONSES_BY_STATUS);
/** Every item the list shows for examples/: runs and responses (the header's "N runs"). */
export const EXAMPLE_COUNT = EXAMPLE_RUN_COUNT + EXAMPLE_RESPONSE_COUNT;

/** The list's count of one status over runs and responses. */
export function exampleStatusCount(status: string): number {
  return ((EXAMPLE_RUNS_BY_STATUS as Record<string, number>)[status] ?? 0) + ((EXAMPLE_RESPONSES_BY_STATUS as Record<string, number>)[status] ?? 0);
}

/** Waiting for tool outputs (the `!` view, the header badge, `stuck`): runs and responses in requires_action. */
export const EXAMPLE_WAITING = exampleStatusCount('requires_action');

/** Not finished yet (stats' "unfinished"): queued, in progress, waiting or cancelling. */
export const EXAMPLE_UNFINISHED = ['queued', 'in_progress', 'requires_action', 'cancelling'].reduce((total, status) => total + exampleStatusCount(status), 0);

/** Every status of examples/ with its count over runs and responses. */
export function exampleCountsByStatus(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const status of new Set([...Object.keys(EXAMPLE_RUNS_BY_STATUS), ...Object.keys(EXAMPLE_RESPONSES_BY_STATUS)])) counts[status] = exampleStatusCount(status);
  return counts;
}

/**
 * Stalled at the examples' noon under the default threshold (`!` twice, `stuck --include-stalled`):
 * a queued, an in-progress and a cancelling run of 12 hours ago, and the background response
 * queued for 50 minutes.
 */
export const EXAMPLE_STALLED = 4;

/** The header's status counts for examples/ as drawn (`! requires_action 10`): glyph, word and count. */
export function exampleStatusCountTexts(): string[] {
  // Written out rather than read from the theme, so a changed glyph shows up as a failing test.
  const glyphs: Record<string, string> = {requires_action: '!', expired: '⊗', failed: '✗', incomplete: '◐', cancelling: '⊘', in_progress: '●', queued: '○', cancelled: '-', completed: '✓', paused_for_review: '?'};
  return Object.entries(exampleCountsByStatus()).map(([status, count]) => `${glyphs[status]} ${status} ${count}`);
}
