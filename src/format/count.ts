/** Counts as the panes, tables and charts write them. */

/**
 * `12,345`, as `toLocaleString('en-US')` writes it: whole numbers are grouped here, since the first
 * toLocaleString of a process starts ICU's number formatting (a few ms before a first frame, and
 * ICU itself, about 12 ms, when nothing else started it). Anything else is left to toLocaleString.
 */
export function groupedCount(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0 || Object.is(value, -0)) return value.toLocaleString('en-US');
  const digits = String(value);
  let text = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let at = text.length; at < digits.length; at += 3) text += `,${digits.slice(at, at + 3)}`;
  return text;
}
