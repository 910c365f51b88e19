/** Whether a command-line source is a URL rather than a path (kept apart so checking never loads the HTTP code). */
export function isUrlSource(source: string): boolean {
  return /^https?:\/\//i.test(source);
}
