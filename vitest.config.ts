import {defineConfig} from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    // End-to-end tests drive a real terminal; give them room on a 2-core CI machine. Each wait in
    // them has its own bound (8 s, see test/e2e/tmux.ts) that names what did not appear; this one
    // only covers a test whose steps are all slow, as when 82 files share two cores (a hostile-text
    // test took 30 s there once, every step in time).
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
