import {Text} from 'ink';
import {footerHints, hintLine, hintText, type Command, type KeyContext} from '../src/keys.js';
import {safeInline} from '../src/format/sanitize.js';
import {useDisplay} from './DisplayContext.js';
import {cutToWidth, tailToWidth} from '../src/format/runColumns.js';
import {textWidth} from '../src/format/textWidth.js';
import {toneProps} from './StyledLine.js';

/** Key hints for the current view, from the key table; or the search prompt while typing. */
export function Footer({
  context,
  searching,
  search,
  flash,
  width = 80,
}: {
  context: KeyContext;
  searching: boolean;
  search: string;
  flash?: string | null;
  width?: number;
}) {
  const {color} = useDisplay();
  if (flash) {
    return (
      <Text {...toneProps('good', color)} wrap="truncate-end">
        {cutToWidth(safeInline(flash), width).text}
      </Text>
    );
  }
  if (searching) {
    // What is typed matters more than the hint: the hint is cut first, then the start of the text.
    const typed = `/${safeInline(search)}`;
    const room = Math.max(4, width - 1);
    const shown = tailToWidth(typed, room);
    const hint = cutToWidth(`   ${hintLine('search', ' · ')}`, Math.max(0, width - textWidth(shown) - 1)).text;
    return (
      <Text wrap="truncate-end">
        <Text bold>{shown}</Text>
        <Text inverse> </Text>
        <Text dimColor>{hint}</Text>
      </Text>
    );
  }
  return (
    <Text dimColor wrap="truncate-end">
      {footerHintText(context, width)}
    </Text>
  );
}

/** Hints a narrow footer keeps to the last: how to get help and how to leave. */
const KEPT_HINTS: ReadonlySet<Command> = new Set(['help', 'quit']);
const HINT_GAP = '  ';

/**
 * The footer's hints as one line of at most `width` columns: `↓/j move  ⏎/→ open  …  ? help  q quit`.
 * When they do not all fit, hints are left out from the right, `?` and `q` last of all, so a narrow
 * terminal still says how to get help and how to quit.
 */
function footerHintText(context: KeyContext, width: number): string {
  const hints = footerHints(context).map((binding) => ({command: binding.command, text: hintText(binding)}));
  const line = () => hints.map((hint) => hint.text).join(HINT_GAP);
  for (let index = hints.length - 1; index >= 0 && textWidth(line()) > width; index -= 1) {
    if (!KEPT_HINTS.has(hints[index]!.command)) hints.splice(index, 1);
  }
  return line();
}
