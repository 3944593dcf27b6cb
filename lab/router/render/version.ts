// `show version` per dialect; the app detects the dialect from these lines.

export function showVersion(dialect: 'edgeos' | 'vyos', bootedAt: Date, now: Date = new Date()): string[] {
  const upSeconds = Math.max(0, Math.floor((now.getTime() - bootedAt.getTime()) / 1000));
  const days = Math.floor(upSeconds / 86400);
  const hhmm = `${Math.floor((upSeconds % 86400) / 3600)}:${String(Math.floor((upSeconds % 3600) / 60)).padStart(2, '0')}`;
  const clock = now.toISOString().slice(11, 19);
  const uptime = `${clock} up ${days > 0 ? `${days} days, ` : ''}${hhmm},  1 user,  load average: 0.08, 0.05, 0.01`;
  if (dialect === 'edgeos') {
    return [
      'Version:      v2.0.9-hotfix.7',
      'Build ID:     5622731',
      'Build on:     06/15/23 08:57',
      'Copyright:    2012-2023 Ubiquiti Networks, Inc.',
      'HW model:     EdgeRouter X 5-Port',
      'HW S/N:       E063DA000000',
      `Uptime:       ${uptime}`,
    ];
  }
  return [
    'Version:          VyOS 1.4.0',
    'Release train:    sagitta',
    '',
    'Built by:         autobuild@vyos.net',
    'Built on:         Mon 15 Jan 2024 10:00 UTC',
    'Build UUID:       3d8f5c3e-0000-4000-8000-000000000000',
    'Build commit ID:  f8a1b7c2d3e4f5',
    '',
    'Architecture:     x86_64',
    'Boot via:         installed image',
    'System type:      KVM guest',
    '',
    'Hardware vendor:  QEMU',
    'Hardware model:   Standard PC (Q35 + ICH9, 2009)',
    'Hardware S/N:',
    'Hardware UUID:    00000000-0000-4000-8000-000000000000',
    '',
    'Copyright:        VyOS maintainers and contributors',
    `Uptime:           ${uptime}`,
  ];
}
