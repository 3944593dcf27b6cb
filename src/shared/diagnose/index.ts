// Public entry of the diagnoses: pure functions from router output, the topology and cluster facts
// to likely causes and to the status and test reports the status view and the CLI show.

export type {
  Cause,
  CauseCode,
  CurlAttempt,
  Diagnosis,
  NeighborFacts,
  NeighborInput,
  ServiceFacts,
  StatusNeighbor,
  StatusNextHop,
  StatusReport,
  StatusRoute,
  TestInput,
  TestReport,
} from './types.ts';
export { EXCLUDE_LABEL, STUCK_CONNECTING_SECONDS, diagnoseNeighbor } from './neighbor.ts';
export { NOT_CONFIGURED_STATE, statusReportOf } from './status.ts';
export type { StatusInput } from './status.ts';
export { UNKNOWN_NODE, answeringNode, testReportOf } from './test-report.ts';
