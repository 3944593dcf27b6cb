// The three op-mode commands of a status refresh, as one script (what the floor runs over ssh2
// and OpenSSH; the app's readRouterStatus runs the same commands with section markers).
const OP = '/opt/vyatta/bin/vyatta-op-cmd-wrapper';

export const STATUS_COMMANDS = [
  `${OP} show ip bgp summary`,
  `${OP} show ip bgp neighbors`,
  `${OP} show ip route bgp`,
].join('\n');
