import {createContext, useContext} from 'react';

/** Terminal facts the views need, injected so tests decide them. */
export interface DisplayOptions {
  /** False with NO_COLOR, --no-color or a terminal without colour: views use glyphs and words only. */
  color: boolean;
  /** ASCII stand-ins for glyphs (`--ascii`). */
  ascii: boolean;
}

export const DisplayContext = createContext<DisplayOptions>({color: true, ascii: false});

export function useDisplay(): DisplayOptions {
  return useContext(DisplayContext);
}
