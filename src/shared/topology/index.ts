// Public entry of the topology model: types, schema, validation, warnings and allow-lists.
export * from './types.ts';
export * from './allowlist.ts';
export {
  TopologySchema,
  DEFAULT_SSH_PORT,
  DEFAULT_SSH_USERNAME,
  DEFAULT_MAXIMUM_PATHS,
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
