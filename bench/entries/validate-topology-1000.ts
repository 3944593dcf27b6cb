// Validating and planning a topology of 1,000 nodes (the most a topology may hold): what the
// wizard does on every edit of a big cluster's form.
import { buildPlan } from '../../src/shared/plan/index.ts';
import { TOPOLOGY_MAX_NODES, validateTopology } from '../../src/shared/topology/index.ts';
import { largeTopology } from '../generate.ts';
import { valueBelow } from '../goals.ts';
import { pairedMedians } from '../measure.ts';
import type { BenchEntry } from '../types.ts';

const NODES = 1000;

function validateAndPlan(topology: unknown): number {
  const result = validateTopology(topology);
  if (!result.ok) throw new Error(`the generated topology is invalid: ${result.errors[0]?.message ?? ''}`);
  return buildPlan(result.topology, result.warnings).router.commands.length;
}

const entry: BenchEntry = {
  name: 'validate-topology-1000',
  unit: 'ms',
  goal: valueBelow(100, 'ms'),
  async run() {
    if (NODES > TOPOLOGY_MAX_NODES) throw new Error(`${NODES} nodes exceed TOPOLOGY_MAX_NODES`);
    const topology = largeTopology(NODES);
    const { value, runs } = await pairedMedians(() => validateAndPlan(topology), null);
    return { value, floor: null, details: { runs, nodes: NODES, pools: topology.cluster.pools.length } };
  },
};

export default entry;
