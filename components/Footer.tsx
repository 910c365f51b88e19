import {Text} from 'ink';
import {footerHints, type KeyContext} from '../src/keys.js';
import {safeInline} from '../src/format/sanitize.js';
import {useDisplay} from './DisplayContext.js';
import {toneProps} from './StyledLine.js';

/** Key hints for the current view, from the key table; or the search prompt while typing. */
export function Footer({context, searching, search, flash}: {context: KeyContext; searching: boolean; search: string; flash?: string | null}) {
  const {color} = useDisplay();
  if (flash) {
    return (
      <Text {...toneProps('good', color)} wrap="truncate-end">
        {safeInline(flash)}
      </Text>
    );
  }
  if (searching) {
    return (
      <Text wrap="truncate-start">
        <Text bold>/</Text>
        {safeInline(search)}
        <Text inverse> </Text>
        <Text dimColor>{'   Enter keeps the filter · Esc clears it'}</Text>
      </Text>
    );
  }
  return (
    <Text dimColor wrap="truncate-end">
      {footerHints(context)
        .map((binding) => `${binding.label} ${binding.short ?? binding.description}`)
        .join('  ')}
    </Text>
  );
}
