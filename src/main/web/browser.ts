// `npm run app`: browser mode (browser-mode.ts). Only a launcher, so that Node's compile cache is
// on before the app's modules load: stripping their types and compiling them is most of a cold
// start, and the cache (in the OS temp directory) skips both on every later start.
import { enableCompileCache } from 'node:module';

enableCompileCache();
const { browserModeExitCode } = await import('./browser-mode.ts');
process.exit(await browserModeExitCode(process.argv.slice(2)));
