// Router output parsers: pure, tolerant of odd text, never throwing.

export type {
  BgpNeighbor,
  BgpNextHop,
  BgpRoute,
  BgpStateWord,
  BgpSummary,
  OutputFormat,
  RouterVersion,
  SummaryNeighbor,
} from './types.ts';
export { detectOutputFormat } from './format.ts';
export { parseBgpSummary } from './summary.ts';
export { parseBgpNeighbors } from './neighbors.ts';
export { parseBgpRoutes } from './routes.ts';
export { parseShowVersion } from './version.ts';
export { parseUptimeSeconds } from './text.ts';
// `show configuration commands` (written alongside the planner, which is its main user).
export { findBgpSubtree, parseConfigCommands, tokenizeConfigLine } from './config.ts';
export type { BgpInstance, BgpSubtree } from './config.ts';
