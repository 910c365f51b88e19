import {useEffect} from 'react';
import type {Line} from '../src/panes/content.js';
import {ScrollView} from './ScrollView.js';

/** Props of a full-body view over ready lines (statistics, threads). */
export interface ScrolledLinesViewProps {
  lines: readonly Line[];
  height: number;
  scroll: number;
  onMetrics: (lines: number, height: number) => void;
}

/** Scrolls ready lines and reports their count so the store clamps scrolling. */
export function ScrolledLinesView({lines, height, scroll, onMetrics}: ScrolledLinesViewProps) {
  useEffect(() => onMetrics(lines.length, height - 1), [lines.length, height, onMetrics]);
  return <ScrollView lines={lines} scroll={scroll} height={height} />;
}
