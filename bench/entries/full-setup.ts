// s from Apply to every session Established and the curl test passing, on the real lab.
import { atMostFloorPlus } from '../goals.ts';
import { pendingEntry } from '../pending.ts';

export default pendingEntry(
  'full-setup',
  's',
  atMostFloorPlus(5, 's'),
  ['root', 'frr'],
  "the real lab cannot yet start with the API emulator readiness delays at 0 (lab/netns/daemon.ts passes no readinessDelayMs to startLabEmulators, so lab/kube keeps its 1500 ms default, and `lab/netns/cli.ts up` has no option for it); once it can: `cli apply --yes` in-process (src/main/cli/testing.ts cliHarness), poll `status` until every session is Established, `test --deploy-echo`, timed against FRR alone bringing up the same sessions (the plan's router lines and MetalLB objects written directly) with the same timers",
);
