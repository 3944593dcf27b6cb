// s from Apply to every session Established and the curl test passing, on the real lab.
import { atMostFloorPlus } from '../goals.ts';
import { pendingEntry } from '../pending.ts';

export default pendingEntry(
  'full-setup',
  's',
  atMostFloorPlus(5, 's'),
  ['root', 'frr'],
  'apply the lab topology through the app on the real lab (API emulator readiness delays at 0) and time it against FRR alone bringing up the same sessions with the same timers',
);
