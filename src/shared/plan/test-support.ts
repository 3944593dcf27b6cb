// Topologies shared by the planner's tests. Pure data; plan.test.ts checks the article one against
// examples/article-topology.yaml so the two cannot drift apart.

import type { Topology } from '../topology/index.ts';
import { articleTopology } from '../topology/testing.ts';

export { articleTopology };

/** The article's setup with the router in its own AS 65000 (eBGP). */
export function ebgpTopology(): Topology {
  const t = articleTopology();
  t.router.asn = 65000;
  return t;
}

export function vyosTopology(): Topology {
  const t = articleTopology();
  t.router.dialect = 'vyos';
  return t;
}

/** Set lines as `show configuration commands` prints them: text values (descriptions) single-quoted. */
export function showConfigurationCommands(lines: string[]): string {
  return lines.map((line) => line.replace(/ description (\S+)$/, " description '$1'")).join('\n') + '\n';
}
