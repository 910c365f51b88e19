/** One snapshot per visual state, colour off, at 100x24 with the clock pinned to the examples' noon. */
import {stripVTControlCharacters} from 'node:util';
import {describe, expect, it} from 'vitest';
import {appElement, footerLine, KEYS, press, renderDefault, useExamples, waitForText, type TestInstance} from './helpers.js';
import {EXAMPLE_COUNT, EXAMPLE_WAITING} from '../helpers/examples.js';

const {runs, mount} = useExamples();

const plain = (frame: string) => stripVTControlCharacters(frame);

async function start(): Promise<TestInstance> {
  const instance = mount(renderDefault(appElement(runs, {warnings: [{location: 'examples/broken.json:3:14', message: 'Unexpected end of JSON input'}]})));
  await waitForText(instance, `${EXAMPLE_COUNT} runs`);
  return instance;
}

describe('snapshots', () => {
  it('the run list', async () => {
    const app = await start();
    expect(plain(app.lastFrame()!)).toMatchSnapshot();
  });

  it('the detail of a waiting run: Overview', async () => {
    const app = await start();
    await press(app, 'j', (frame) => plain(frame).includes(`2/${EXAMPLE_COUNT}`));
    expect(plain(await press(app, KEYS.enter, (frame) => plain(frame).includes(' 1 Overview')))).toMatchSnapshot();
  });

  it('the detail of a waiting run: Required action', async () => {
    const app = await start();
    await press(app, 'j', (frame) => plain(frame).includes(`2/${EXAMPLE_COUNT}`));
    await press(app, KEYS.enter, (frame) => plain(frame).includes(' 1 Overview'));
    expect(plain(await press(app, '2', (frame) => plain(frame).includes('tool calls')))).toMatchSnapshot();
  });

  it('the help', async () => {
    const app = await start();
    expect(plain(await press(app, '?', (frame) => plain(frame).includes('Keys')))).toMatchSnapshot();
  });

  it('the warnings', async () => {
    const app = await start();
    expect(plain(await press(app, 'W', (frame) => plain(frame).includes('while loading')))).toMatchSnapshot();
  });

  it('the stuck view', async () => {
    const app = await start();
    expect(plain(await press(app, '!', (frame) => plain(frame).includes(`${EXAMPLE_WAITING} of ${EXAMPLE_COUNT}`)))).toMatchSnapshot();
  });

  it('an empty result, with the search prompt open', async () => {
    const app = await start();
    await press(app, '/', (frame) => footerLine(frame).includes('Enter keeps the filter'));
    app.stdin.write('nothing-matches-this');
    expect(plain(await waitForText(app, 'No runs match'))).toMatchSnapshot();
  });
});
