/**
 * What was wrong in the input, as every loader reports it and every view shows it (the warnings
 * view, the header's count, print mode's stderr). A model type: sources make warnings, the store
 * and panes show them, and each imports it from here rather than from a loader.
 */

/** Something wrong in the input, with where: `file`, `file:line` or `file:line:column`. */
export interface LoadWarning {
  location: string;
  message: string;
}

/** A warning as one line: `file:line:column: message`. */
export function formatWarning(warning: LoadWarning): string {
  return `${warning.location}: ${warning.message}`;
}
