import type { ESLint } from 'eslint';

declare const plugin: ESLint.Plugin;
export default plugin;

/** What every window's webPreferences must say, literally. */
export declare const REQUIRED_WEB_PREFERENCES: {
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  webSecurity: true;
};
