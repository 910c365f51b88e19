import {Text} from 'ink';
import {memo} from 'react';
import {TONE_COLORS, type Tone} from '../src/format/theme.js';
import type {Line} from '../src/panes/content.js';
import {useDisplay} from './DisplayContext.js';

/** Ink text props for a tone; without colour only weight and dimness remain. */
export function toneProps(tone: Tone | undefined, color: boolean): {color?: string; bold?: boolean; dimColor?: boolean} {
  if (!tone || tone === 'plain') return {};
  if (tone === 'strong') return {bold: true};
  if (!color) return tone === 'dim' ? {dimColor: true} : tone === 'attention' || tone === 'bad' ? {bold: true} : {};
  const props: {color?: string; bold?: boolean} = {};
  const value = TONE_COLORS[tone];
  if (value) props.color = value;
  if (tone === 'attention') props.bold = true;
  return props;
}

/** One line of styled segments, never wrapped (callers wrap or cut to the width first). */
export const StyledLine = memo(function StyledLine({line}: {line: Line}) {
  const {color} = useDisplay();
  // Ink gives an empty text no height: a blank line (between paragraphs) needs a space to show.
  if (line.every((segment) => segment.text === '')) return <Text> </Text>;
  return (
    <Text wrap="truncate-end">
      {line.map((segment, index) => (
        <Text key={index} {...toneProps(segment.tone, color)}>
          {segment.text}
        </Text>
      ))}
    </Text>
  );
});
