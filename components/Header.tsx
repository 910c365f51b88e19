import {Box, Text} from 'ink';
import {statusCountLines} from '../src/format/statusCounts.js';
import {SORT_LABELS, type ListQuery} from '../src/store/listView.js';
import {formatStuckBadge, type StuckSummary} from '../src/triage/stuck.js';
import {safeInline} from '../src/format/sanitize.js';
import {formatClock, type TimeOptions} from '../src/format/time.js';
import {formatLoadProgress} from '../src/stats/loadProgress.js';
import type {LoadingState} from '../src/sources/runFeed.js';
import {useDisplay} from './DisplayContext.js';
import {toneProps} from './StyledLine.js';

/** Where live data stands (`--watch`, and a first load still reading). */
export interface LiveStatus {
  refreshedAt: number;
  error: string | null;
  watchSeconds: number | null;
  loading?: LoadingState | null;
}

/** Props of the header: what is loaded and how the list is filtered. */
export interface HeaderProps {
  sources: readonly string[];
  total: number;
  shown: number;
  counts: ReadonlyMap<string, number>;
  warnings: number;
  query: ListQuery;
  stuck: StuckSummary;
  live?: LiveStatus;
  time?: TimeOptions;
  /** Terminal columns. */
  width?: number;
  /** The clock (ms), for the load's rate. */
  now?: () => number;
}

export function Header({sources, total, shown, counts, warnings, query, stuck, live, time = {utc: false}, width = 80, now = Date.now}: HeaderProps) {
  const {color, ascii} = useDisplay();
  const badge = formatStuckBadge(stuck);
  const countLines = statusCountLines(counts, width, ascii);
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
          {shown === total ? `${total} run${total === 1 ? '' : 's'}` : `${shown} of ${total} runs`}
        </Text>
        {live?.loading ? <Text {...toneProps('info', color)}>{`  ${formatLoadProgress(live.loading, now(), {ascii})}`}</Text> : null}
        {warnings > 0 ? <Text {...toneProps('warn', color)}>{`  ⚠ ${warnings} warning${warnings === 1 ? '' : 's'} (W)`}</Text> : null}
        {live?.watchSeconds ? (
          <Text dimColor>{`  ${ascii ? '~' : '↻'} every ${live.watchSeconds}s, ${formatClock(live.refreshedAt / 1000, time)}`}</Text>
        ) : null}
        {live?.error ? <Text {...toneProps('bad', color)}>{`  refresh failed: ${safeInline(live.error)} (showing ${formatClock(live.refreshedAt / 1000, time)})`}</Text> : null}
      </Text>
      {countLines.map((cells, line) => (
        <Text key={line} wrap="truncate-end">
          {cells.map(({status, text, tone}, index) => (
            <Text key={status} {...toneProps(tone, color)}>
              {index > 0 ? '  ' : ''}
              {text}
            </Text>
          ))}
        </Text>
      ))}
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
