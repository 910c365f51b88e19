import {Box, Text} from 'ink';
import {keyText} from '../src/keys.js';
import {statusCountLines, type StatusCountCell} from '../src/format/statusCounts.js';
import {SORT_LABELS} from '../src/store/listView.js';
import type {ListQuery, SortKey} from '../src/model/listQuery.js';
import type {LiveStatus} from '../src/store/feed.js';
import {formatStuckBadge, type StuckSummary} from '../src/triage/stuck.js';
import {safeInline} from '../src/format/sanitize.js';
import {formatClock, pinnedClockNote, type TimeOptions} from '../src/format/time.js';
import {formatLoadProgress} from '../src/stats/loadProgress.js';
import {cutToWidth, fitPieces} from '../src/format/runColumns.js';
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
  /** Terminal columns. */
  width?: number;
  /** The clock (ms), for the load's rate. */
  now?: () => number;
  /** The instant the clock was pinned to (Unix ms): said at the end of the first line. */
  clockPinnedAt?: number;
  /** How much of a filter going on across frames is done (0 to 1): `shown` is a count so far. */
  searching?: number | undefined;
  /** A sort going on across frames: the one asked for and how much is done; the list keeps `query.sort`'s order until it ends. */
  sorting?: {sort: SortKey; descending: boolean; fraction: number};
}

export function Header({sources, total, shown, layout, warnings, query, live, time = {utc: false}, width = 80, now = Date.now, clockPinnedAt, searching, sorting}: HeaderProps) {
  const {color, ascii} = useDisplay();
  const {badge, countLines} = layout;
  const filters: string[] = [];
  if (query.stuck === 'waiting') filters.push('stuck: waiting for tool outputs');
  if (query.stuck === 'stalled') filters.push('stuck: waiting + stalled');
  if (query.statuses) filters.push(`status: ${query.statuses.join(',')}`);
  if (query.model) filters.push(`model: ${safeInline(query.model)}`);
  if (query.search) filters.push(`search: ${safeInline(query.search)}`);
  // Each line is cut here, by textWidth, rather than by Ink (see fitPieces): a source, a model or
  // a search can hold emoji that terminals draw wider than Ink counts.
  const [title, source, count, loading, warned, watch, failed, pinned] = fitPieces(
    [
      'runlens',
      ` ${safeInline(sources.join(' '))}`,
      searching !== undefined
        ? `  searching ${total} runs… ${Math.floor(searching * 100)}%`
        : `  ${shown === total ? `${total} run${total === 1 ? '' : 's'}` : `${shown} of ${total} runs`}`,
      live?.loading ? `  ${formatLoadProgress(live.loading, now(), {ascii})}` : '',
      warnings > 0 ? `  ⚠ ${warnings} warning${warnings === 1 ? '' : 's'} (${keyText('warnings')})` : '',
      live?.watchSeconds ? `  ${ascii ? '~' : '↻'} every ${live.watchSeconds}s, ${formatClock(live.refreshedAt / 1000, time)}` : '',
      live?.error ? `  refresh failed: ${safeInline(live.error)} (showing ${formatClock(live.refreshedAt / 1000, time)})` : '',
      clockPinnedAt !== undefined ? `  ${pinnedClockNote(clockPinnedAt)}` : '',
    ],
    width,
    ascii,
  );
  const [badgeText, badgeHint] = fitPieces([badge ? `${ascii ? '!' : '⚑'} ${badge}` : '', query.stuck === 'off' ? `   press ${keyText('stuck')} to see them` : ''], width, ascii);
  const sortLine = cutToWidth(sortLineText(query, sorting, filters), width, ascii).text;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold {...toneProps('info', color)}>
          {title}
        </Text>
        <Text>{source}</Text>
        <Text dimColor>{count}</Text>
        {loading ? <Text {...toneProps('info', color)}>{loading}</Text> : null}
        {warned ? <Text {...toneProps('warn', color)}>{warned}</Text> : null}
        {watch ? <Text dimColor>{watch}</Text> : null}
        {failed ? <Text {...toneProps('bad', color)}>{failed}</Text> : null}
        {pinned ? <Text dimColor>{pinned}</Text> : null}
      </Text>
      {countLines.map((cells, line) => {
        const texts = fitPieces(cells.map(({text}, index) => (index > 0 ? `  ${text}` : text)), width, ascii);
        return (
          <Text key={line} wrap="truncate-end">
            {cells.map(({status, tone}, index) => (
              <Text key={status} {...toneProps(tone, color)}>
                {texts[index]}
              </Text>
            ))}
          </Text>
        );
      })}
      {badge ? (
        <Text wrap="truncate-end" {...toneProps('attention', color)}>
          {badgeText}
          <Text dimColor>{badgeHint}</Text>
        </Text>
      ) : null}
      <Text dimColor wrap="truncate-end">
        {sortLine}
      </Text>
    </Box>
  );
}

/** The header's sort line: the order shown, a sort still going on across frames, and the filters with how to clear them. */
function sortLineText(query: ListQuery, sorting: HeaderProps['sorting'], filters: readonly string[]): string {
  const arrow = (descending: boolean) => (descending ? '↓' : '↑');
  const pieces = [`sort: ${SORT_LABELS[query.sort]} ${arrow(query.descending)}`];
  if (sorting) pieces.push(`sorting by ${SORT_LABELS[sorting.sort]} ${arrow(sorting.descending)}… ${Math.floor(sorting.fraction * 100)}%`);
  if (filters.length > 0) pieces.push(...filters, `(${keyText('clearFilters')} clears)`);
  return pieces.join('   ');
}
