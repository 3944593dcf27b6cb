// Parsing `show ip route bgp` as FRR (VyOS) prints it: 10,000 prefixes × 4 ECMP next hops.
import { parseRoutesEntry } from '../parse-routes.ts';

export default parseRoutesEntry('parse-routes-frr', 'frr');
