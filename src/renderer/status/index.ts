// The live status window (its own Electron window, the #/status route in browser mode). The default
// export lets the app React.lazy() it apart from the wizard's bundle.

export { StatusWindow } from './StatusWindow.tsx';
export { StatusWindow as default } from './StatusWindow.tsx';
export type { StatusWindowProps, KubeSelection, WatchInputs } from './inputs.ts';
export { WIZARD_STORAGE_KEYS, watchInputsOf } from './inputs.ts';
export { watchReducer, INITIAL_WATCH } from './watch-state.ts';
export type { WatchState, WatchPhase, WatchAction } from './watch-state.ts';
