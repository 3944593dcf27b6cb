// Parsing `show ip route bgp` as EdgeOS prints it: 10,000 prefixes × 4 ECMP next hops.
import { parseRoutesEntry } from '../parse-routes.ts';

export default parseRoutesEntry('parse-routes-edgeos', 'edgeos');
