/**
 * Text styled as Ink's `<Text>` styles its children, as one string: a view that draws many styled
 * pieces on one line (a list row) hands Ink one text instead of a `<Text>` per piece, and so one
 * node to lay out, squash and colour per frame instead of ten. The codes are the ones Ink's own
 * Text writes (its transform, in its order, with the chalk Ink colours with), so the frame is the
 * same, byte for byte (test/components/runRows.test.tsx renders both).
 */
import chalk from 'chalk';

/** The style props of Ink's Text that the views use (see toneProps). */
export interface InkTextStyle {
  color?: string;
  bold?: boolean;
  dimColor?: boolean;
}

/** A colour Ink names by chalk's method for it (`red`, `gray`): the only kind the theme uses. */
function namedColor(color: string): ((text: string) => string) | null {
  const method = (chalk as unknown as Record<string, unknown>)[color];
  return typeof method === 'function' ? (method as (text: string) => string) : null;
}

/**
 * `text` as `<Text {...style}>{text}</Text>` inside another Text gives it: Ink's transform (dim,
 * then the colour, then bold), applied only to text that is not empty, as Ink's squashing does.
 * `text` must hold no escapes of its own (run strings are made safe before they get here).
 */
export function inkStyled(text: string, style: InkTextStyle): string {
  if (text.length === 0) return text;
  let styled = text;
  if (style.dimColor) styled = chalk.dim(styled);
  if (style.color) {
    // Ink's colorize leaves text in a colour it cannot read as it is; the theme names only chalk's colours.
    const paint = namedColor(style.color);
    if (paint) styled = paint(styled);
  }
  if (style.bold) styled = chalk.bold(styled);
  return styled;
}
