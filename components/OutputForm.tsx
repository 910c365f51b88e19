import {Box, Text} from 'ink';
import {safeInline} from '../src/format/sanitize.js';
import {cutToWidth} from '../src/format/runColumns.js';
import type {OutputForm as OutputFormState} from '../src/store/runStore.js';
import {useDisplay} from './DisplayContext.js';
import {toneProps} from './StyledLine.js';

/** Rows each tool call takes: its name and id, its arguments, its output field. */
const ROWS_PER_CALL = 3;

/** The tail of a value that fits in `room` columns: what is being typed stays in view. */
function tailToWidth(text: string, room: number): string {
  if (room <= 1) return '';
  const chars = Array.from(text);
  let shown = text;
  let start = 0;
  while (cutToWidth(shown, room).text !== shown && start < chars.length) {
    start += 1;
    shown = `…${chars.slice(start).join('')}`;
  }
  return shown;
}

/**
 * The tool output form (`o`): one single-line field per tool call of the run, under its function
 * name, call id and (cut) arguments. Only renders what the store holds; the store takes the keys.
 */
export function OutputForm({form, width, height}: {form: OutputFormState; width: number; height: number}) {
  const {color} = useDisplay();
  const count = form.calls.length;
  const headerRows = 1 + (form.error ? 1 : 0) + 1;
  const fit = Math.max(1, Math.floor((height - headerRows - 1) / ROWS_PER_CALL));
  // A window of calls around the focused one.
  const first = Math.max(0, Math.min(form.focus - Math.floor(fit / 2), count - fit));
  const shown = form.calls.slice(first, first + fit);
  const inputRoom = Math.max(2, width - 14);
  return (
    <Box flexDirection="column" height={height}>
      <Text bold wrap="truncate-end">
        {`Tool outputs for ${safeInline(form.runId)}: ${count} call${count === 1 ? '' : 's'}, all sent in one request`}
        {form.editing ? <Text dimColor>{'   (in the editor…)'}</Text> : null}
      </Text>
      {form.error ? (
        <Text {...toneProps('bad', color)} wrap="truncate-end">
          {safeInline(form.error)}
        </Text>
      ) : null}
      <Text> </Text>
      {shown.map((call, offset) => {
        const index = first + offset;
        const focused = index === form.focus;
        const value = safeInline(form.values[index] ?? '');
        return (
          <Box key={call.id} flexDirection="column">
            <Text wrap="truncate-end" bold={focused}>
              {`${focused ? '›' : ' '} ${index + 1}. `}
              <Text {...toneProps('accent', color)}>{safeInline(call.functionName)}</Text>
              <Text dimColor>{`  ${safeInline(call.id)}`}</Text>
            </Text>
            <Text dimColor wrap="truncate-end">
              {`     arguments ${cutToWidth(safeInline(call.arguments), Math.max(1, width - 15)).text}`}
            </Text>
            <Text wrap="truncate-end">
              <Text {...toneProps('label', color)}>{'     output    '}</Text>
              {focused ? (
                <>
                  <Text>{tailToWidth(value, inputRoom)}</Text>
                  <Text inverse> </Text>
                </>
              ) : (
                <Text dimColor={value === ''}>{value === '' ? '(empty)' : cutToWidth(value, inputRoom).text}</Text>
              )}
            </Text>
          </Box>
        );
      })}
      {count > fit ? <Text dimColor>{`call ${form.focus + 1} of ${count}`}</Text> : null}
    </Box>
  );
}
