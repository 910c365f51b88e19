import {Box, Text} from 'ink';
import {keyText} from '../src/keys.js';
import {statusCountLines, type StatusCountCell} from '../src/format/statusCounts.js';
import {SORT_LABELS, type ListQuery} from '../src/store/listView.js';
import type {LiveStatus} from '../src/store/feed.js';
import {formatStuckBadge, type StuckSummary} from '../src/triage/stuck.js';
import {safeInline} from '../src/format/sanitize.js';
import {formatClock, type TimeOptions} from '../src/format/time.js';
import {formatLoadProgress} from '../src/format/loadProgress.js';
import {useDisplay} from './DisplayContext.js';
import {toneProps} from './StyledLine.js';

export type {LiveStatus} from '../src/store/feed.js';

/** The header's lines that depend on the data and the width, worked out once: to draw, and for the rows left below. */
export interface HeaderLayout {
  countLines: StatusCountCell[][];
  badge: string | null;
  /** Rows the header takes. */
  rows: number;
}

/** The title and sort lines, the status counts' lines, and the stuck badge's line when anything is stuck. */
export function headerLayout(counts: ReadonlyMap<string, number>, stuck: StuckSummary, width: number, ascii: boolean): HeaderLayout {
  const countLines = statusCountLines(counts, width, ascii);
  const badge = formatStuckBadge(stuck);
  return {countLines, badge, rows: 2 + countLines.length + (badge ? 1 : 0)};
}

/** Props of the header: what is loaded and how the list is filtered. */
export interface HeaderProps {
  sources: readonly string[];
  total: number;
  shown: number;
  layout: HeaderLayout;
  warnings: number;
  query: ListQuery;
  live?: LiveStatus | undefined;
  time?: TimeOptions;
  /** The clock (ms), for the load's rate. */
  now?: () => number;
}

export function Header({sources, total, shown, layout, warnings, query, live, time = {utc: false}, now = Date.now}: HeaderProps) {
  const {color, ascii} = useDisplay();
  const {badge, countLines} = layout;
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
        {warnings > 0 ? <Text {...toneProps('warn', color)}>{`  ⚠ ${warnings} warning${warnings === 1 ? '' : 's'} (${keyText('warnings')})`}</Text> : null}
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
          <Text dimColor>{query.stuck === 'off' ? `   press ${keyText('stuck')} to see them` : ''}</Text>
        </Text>
      ) : null}
      <Text dimColor wrap="truncate-end">
        {`sort: ${SORT_LABELS[query.sort]} ${query.descending ? '↓' : '↑'}`}
        {filters.length > 0 ? `   ${filters.join('   ')}   (${keyText('clearFilters')} clears)` : ''}
      </Text>
    </Box>
  );
}
