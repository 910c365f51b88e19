/**
 * Holds the store's state between actions and the effects not run yet: `dispatch` runs the
 * reducer, `snapshot` is what the view renders (a new object whenever the state changed or effects
 * are waiting), `drain` hands the waiting effects over once. No React: the hook that renders it and
 * runs its effects is components/useRunStore.ts.
 */
import type {Effect, Update} from './effects.js';

/** What the view renders: the state, and whether effects wait (then it renders, and drains them after). */
export interface StoreSnapshot<S> {
  state: S;
  waiting: boolean;
}

/** The state between actions and the effects waiting to run (an Elm-style runtime, without React). */
export class Store<S, A> {
  private current: StoreSnapshot<S>;
  private pending: Effect[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly update: (state: S, action: A) => Update<S>,
    initial: S,
  ) {
    this.current = {state: initial, waiting: false};
  }

  readonly snapshot = (): StoreSnapshot<S> => this.current;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly dispatch = (action: A): void => {
    const {state, effects} = this.update(this.current.state, action);
    if (state === this.current.state && effects.length === 0) return;
    for (const effect of effects) this.pending.push(effect);
    this.current = {state, waiting: this.pending.length > 0};
    for (const listener of this.listeners) listener();
  };

  /** The effects waiting, in the order the reducer returned them; each is handed over once. */
  drain(): Effect[] {
    const effects = this.pending;
    this.pending = [];
    return effects;
  }
}
