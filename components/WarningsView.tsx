import {useEffect, useMemo} from 'react';
import type {Line} from '../src/panes/content.js';
import {untrusted} from '../src/panes/content.js';
import {wrapLines} from '../src/panes/wrap.js';
import type {LoadWarning} from '../src/sources/parseRunText.js';
import {ScrollView} from './ScrollView.js';

/** What went wrong while loading: file, line and column, and what was skipped. */
export function WarningsView({
  warnings,
  width,
  height,
  scroll,
  onMetrics,
}: {
  warnings: readonly LoadWarning[];
  width: number;
  height: number;
  scroll: number;
  onMetrics: (lines: number, height: number) => void;
}) {
  const lines = useMemo(() => {
    const out: Line[] = [[{text: `${warnings.length} warning${warnings.length === 1 ? '' : 's'} while loading`, tone: 'strong'}], []];
    if (warnings.length === 0) out.push([{text: 'Everything loaded cleanly.', tone: 'dim'}]);
    for (const warning of warnings) out.push([untrusted(warning.location, 'warn'), {text: ': '}, untrusted(warning.message)]);
    return wrapLines(out, width);
  }, [warnings, width]);
  useEffect(() => onMetrics(lines.length, height - 1), [lines.length, height, onMetrics]);
  return <ScrollView lines={lines} scroll={scroll} height={height} />;
}
