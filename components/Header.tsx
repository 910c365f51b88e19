import {Box, Text} from 'ink';
import {statusStyle} from '../src/format/theme.js';
import {SORT_LABELS, type ListQuery} from '../src/store/listView.js';
import {formatStuckBadge, type StuckSummary} from '../src/triage/stuck.js';
import {safeInline} from '../src/format/sanitize.js';
import {useDisplay} from './DisplayContext.js';
import {toneProps} from './StyledLine.js';

/** Props of the header: what is loaded and how the list is filtered. */
export interface HeaderProps {
  sources: readonly string[];
  total: number;
  shown: number;
  counts: ReadonlyMap<string, number>;
  warnings: number;
  query: ListQuery;
  stuck: StuckSummary;
}

export function Header({sources, total, shown, counts, warnings, query, stuck}: HeaderProps) {
  const {color, ascii} = useDisplay();
  const badge = formatStuckBadge(stuck);
  const filters: string[] = [];
  if (query.stuck === 'waiting') filters.push('stuck: waiting for tool outputs');
  if (query.stuck === 'stalled') filters.push('stuck: waiting + stalled');
  if (query.statuses) filters.push(`status: ${query.statuses.join(',')}`);
  if (query.model) filters.push(`model: ${safeInline(query.model)}`);
  if (query.search) filters.push(`search: ${safeInline(query.search)}`);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold {...toneProps('info', color)}>
          runlens
        </Text>
        <Text> {safeInline(sources.join(' '))}</Text>
        <Text dimColor>
          {'  '}
          {shown === total ? `${total} runs` : `${shown} of ${total} runs`}
        </Text>
        {warnings > 0 ? <Text {...toneProps('warn', color)}>{`  ⚠ ${warnings} warning${warnings === 1 ? '' : 's'} (W)`}</Text> : null}
      </Text>
      <Text wrap="truncate-end">
        {[...counts.entries()].map(([status, count], index) => {
          const style = statusStyle(status);
          return (
            <Text key={status} {...toneProps(style.tone, color)}>
              {index > 0 ? '  ' : ''}
              {`${ascii ? style.asciiGlyph : style.glyph} ${safeInline(status)} ${count}`}
            </Text>
          );
        })}
      </Text>
      {badge ? (
        <Text wrap="truncate-end" {...toneProps('attention', color)}>
          {`${ascii ? '!' : '⚑'} ${badge}`}
          <Text dimColor>{query.stuck === 'off' ? '   press ! to see them' : ''}</Text>
        </Text>
      ) : null}
      <Text dimColor wrap="truncate-end">
        {`sort: ${SORT_LABELS[query.sort]} ${query.descending ? '↓' : '↑'}`}
        {filters.length > 0 ? `   ${filters.join('   ')}   (Esc clears)` : ''}
      </Text>
    </Box>
  );
}
