/**
 * NO_COLOR: with `display.color` false the views carry meaning in glyphs and words only, and no
 * colour code reaches the terminal; with colour on, statuses are coloured. Chalk (Ink's colouring)
 * turns itself off when the test runner's stdout is not a terminal, so it is forced on here: the
 * difference must come from the app, not from the environment.
 */
import chalk from 'chalk';
import {stripVTControlCharacters} from 'node:util';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import type {Run} from '../../src/model/run.js';
import {appElement, COLOR_CODE, KEYS, loadExamples, positionOf, press, renderDefault, waitForText, useChalkLevel, type TestInstance} from './helpers.js';
import {EXAMPLE_COUNT, EXAMPLE_WAITING} from '../helpers/examples.js';

let runs: Run[];
let instance: TestInstance | undefined;
useChalkLevel(3);

beforeAll(async () => {
  runs = (await loadExamples()).runs;
});

afterEach(() => {
  instance?.unmount();
  instance = undefined;
});

/** Every screen a user can reach with a few keys, as frames. */
async function framesOfEveryView(color: boolean): Promise<string[]> {
  const warnings = [{location: 'bad.json:2:5', message: 'Unexpected token'}];
  instance = renderDefault(appElement(runs, {display: {color, ascii: false}, warnings}));
  const app = instance;
  const frames = [await waitForText(app, `${EXAMPLE_COUNT} runs`)];
  frames.push(await press(app, '!', (frame) => stripVTControlCharacters(frame).includes(`${EXAMPLE_WAITING} of ${EXAMPLE_COUNT} runs`)));
  frames.push(await press(app, KEYS.enter, (frame) => stripVTControlCharacters(frame).includes('1 Overview')));
  for (const [key, text] of [
    ['2', 'tool calls'],
    ['5', 'No error.'],
    ['6', 'characters'],
    ['8', '"object": "thread.run"'],
  ] as const) {
    frames.push(await press(app, key, (frame) => stripVTControlCharacters(frame).includes(text)));
  }
  frames.push(await press(app, '?', (frame) => stripVTControlCharacters(frame).includes('Keys')));
  frames.push(await press(app, KEYS.escape, (frame) => stripVTControlCharacters(frame).includes('"object"')));
  frames.push(await press(app, 'W', (frame) => stripVTControlCharacters(frame).includes('1 warning while loading')));
  frames.push(await press(app, KEYS.escape, (frame) => stripVTControlCharacters(frame).includes('"object"')));
  frames.push(await press(app, KEYS.escape, (frame) => stripVTControlCharacters(frame).includes('STATUS')));
  frames.push(await press(app, '/', (frame) => stripVTControlCharacters(frame).includes('Enter keeps the filter')));
  return frames;
}

describe('colour', () => {
  it('chalk is on for these tests', () => {
    expect(chalk.red('x')).toMatch(COLOR_CODE);
  });

  it('with colour off, no frame has a colour code, yet glyphs and words are all there', async () => {
    const frames = await framesOfEveryView(false);
    for (const frame of frames) expect(frame).not.toMatch(COLOR_CODE);
    const list = stripVTControlCharacters(frames[0]!);
    for (const text of ['! requires_action', '✓ completed', '✗ failed', '○ queued', '● in_progress', '⊘ cancelling', '⊗ expired', '◐ incomplete', `⚑ ${EXAMPLE_WAITING} waiting for tool outputs`, '⚠ 1 warning (W)']) {
      expect(list).toContain(text);
    }
    const action = stripVTControlCharacters(frames[3]!);
    expect(action).toContain('✓ known function');
    // The selection stayed on the run it was on before `!`.
    expect(action).toContain('1. ✓ get_weather  call_0XX3bAPZ1oNHPXsWZNRNh1KC');
  });

  it('with colour off, the selected row is still marked (inverse), with no colour', async () => {
    instance = renderDefault(appElement(runs, {display: {color: false, ascii: false}}));
    await waitForText(instance, `${EXAMPLE_COUNT} runs`);
    const frame = await press(instance, 'j', (current) => positionOf(stripVTControlCharacters(current)) === `2/${EXAMPLE_COUNT}`);
    const selected = frame.split('\n').find((line) => line.includes('\u001b[7m'));
    expect(selected).toBeDefined();
    expect(stripVTControlCharacters(selected!)).toContain('run_fbjG5CJOvUfeNO1F3Ehy9c7t');
  });

  it('with colour on, statuses and hints are coloured', async () => {
    const frames = await framesOfEveryView(true);
    expect(frames[0]).toMatch(COLOR_CODE);
    // requires_action is magenta, completed green, failed red.
    expect(frames[0]).toContain('\u001b[35m');
    expect(frames[0]).toContain('\u001b[32m');
    expect(frames[0]).toContain('\u001b[31m');
    expect(frames[3]).toMatch(COLOR_CODE);
  });
});
