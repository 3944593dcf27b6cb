// Human-readable output of the CLI. JSON output is the report objects themselves.

import type { PlanReport, ParsedOutput } from '../../shared/report.ts';
import type { KubeObject } from '../../shared/plan/index.ts';

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function tableOf(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

export function formatPlanReport(
  report: PlanReport,
  file: string,
  renderYaml: (objects: KubeObject[]) => string,
): string {
  const out: string[] = [];
  const count = report.warnings.length;
  out.push(`${file}: valid${count ? ` (${count} warning${count === 1 ? '' : 's'})` : ''}\n`);
  for (const w of report.warnings) out.push(`warning [${w.code}] ${w.path}: ${w.message}\n`);
  if (report.metallb) {
    const form = report.metallb.format === 'crd' ? 'custom resources' : 'legacy ConfigMap';
    out.push(`\n# MetalLB ${report.metallb.version} (${form}), namespace metallb-system\n`);
    out.push(renderYaml(report.metallb.objects));
  }
  if (report.router) {
    out.push(`\n# Router (${report.router.dialect}): commands to type in an SSH session\n`);
    out.push(report.router.commands.join('\n') + '\n');
  }
  return out.join('');
}

export function formatParsedOutput(parsed: ParsedOutput): string {
  switch (parsed.kind) {
    case 'summary': {
      const s = parsed.result;
      const head = `router id ${s.routerId ?? 'unknown'}, local AS ${s.localAs ?? 'unknown'}, ${s.neighbors.length} neighbor(s)\n`;
      const rows = s.neighbors.map((n) => [
        n.address,
        String(n.remoteAs),
        n.state,
        n.upDown,
        n.prefixesReceived === null ? '-' : String(n.prefixesReceived),
      ]);
      return head + tableOf(['NEIGHBOR', 'AS', 'STATE', 'UP/DOWN', 'PREFIXES'], rows);
    }
    case 'neighbors': {
      const rows = parsed.result.map((n) => [
        n.address,
        String(n.remoteAs),
        n.link,
        n.state,
        n.upFor ?? '-',
        n.prefixesAccepted === null ? '-' : String(n.prefixesAccepted),
      ]);
      return tableOf(['NEIGHBOR', 'AS', 'LINK', 'STATE', 'UP FOR', 'ACCEPTED'], rows);
    }
    case 'routes': {
      const rows = parsed.result.flatMap((r) =>
        r.nextHops.map((h, i) => [
          i === 0 ? r.prefix : '',
          h.address,
          h.interface ?? '(recursive)',
          h.age ?? '-',
        ]),
      );
      return tableOf(['PREFIX', 'NEXT HOP', 'INTERFACE', 'AGE'], rows);
    }
  }
}
