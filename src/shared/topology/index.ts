// Public entry of the topology model: types, schema, validation, warnings and allow-lists.
export * from './types.ts';
export * from './allowlist.ts';
export {
  TopologySchema,
  DEFAULT_SSH_PORT,
  DEFAULT_SSH_USERNAME,
  DEFAULT_MAXIMUM_PATHS,
  MAXIMUM_PATHS_MAX,
  ASN_MAX,
  asnProblem,
  portProblem,
  maximumPathsProblem,
  ipv4Problem,
  routerIdProblem,
  interfaceAddressProblem,
  interfaceNameProblem,
  nodeNameProblem,
  poolNameProblem,
  sshHostProblem,
  usernameProblem,
  poolEntryProblem,
} from './schema.ts';
export { validateTopology, parseTopologyText, effectiveRouterId } from './validate.ts';
export { topologyWarnings, poolNeedsAvoidBuggyIps, isPrivateAsn } from './warnings.ts';
export {
  TOPOLOGY_TEXT_MAX_BYTES,
  TOPOLOGY_MAX_NODES,
  TOPOLOGY_MAX_POOLS,
  TOPOLOGY_MAX_POOL_ENTRIES,
} from './limits.ts';
