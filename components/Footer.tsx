import {Text} from 'ink';
import {footerHintText, hintLine, type KeyContext} from '../src/keys.js';
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
