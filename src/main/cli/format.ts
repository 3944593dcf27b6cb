// Human-readable output of the CLI. JSON output is the report objects themselves.

import type { PlanReport, ParsedOutput } from '../../shared/report.ts';
import type { KubeObject, PreviewLine } from '../../shared/plan/index.ts';
import type {
  ApplyPreview,
  ApplyResult,
  ClusterProbeView,
  RouterProbeView,
  TeardownPreview,
} from '../../shared/contract.ts';
import type { StatusReport, TestReport } from '../../shared/diagnose/index.ts';

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

export function formatProbe(cluster: ClusterProbeView, router: RouterProbeView): string {
  const out: string[] = [];
  out.push(`Cluster ${cluster.server}: Kubernetes ${cluster.version.gitVersion}\n`);
  out.push(
    tableOf(
      ['NODE', 'INTERNAL IP', 'READY', 'EXCLUDED FROM LB'],
      cluster.nodes.map((n) => [
        n.name,
        n.internalIP ?? '-',
        n.ready ? 'yes' : 'no',
        n.excludedFromExternalLoadBalancers ? 'yes' : 'no',
      ]),
    ),
  );
  const m = cluster.metallb;
  out.push(
    m
      ? `MetalLB ${m.version ?? '(unknown version)'} installed by ${m.method} (${m.format === 'crd' ? 'custom resources' : 'ConfigMap'}), ` +
          `pools: ${m.pools.map((p) => `${p.name} ${p.addresses.join(' ')}`).join('; ') || 'none'}\n`
      : 'MetalLB: not installed\n',
  );
  out.push(
    `kube-proxy: ${cluster.kubeProxy.mode}${cluster.kubeProxy.strictARP === null ? '' : `, strictARP ${cluster.kubeProxy.strictARP}`}\n`,
  );
  for (const c of cluster.conflicts) out.push(`conflict [${c.code}]: ${c.message} ${c.whatToDo}\n`);
  out.push(
    `Router: ${router.dialect} ${router.version}${router.model ? ` (${router.model})` : ''}${router.hasCurl ? '' : ', no curl'}\n`,
  );
  return out.join('');
}

function previewLines(lines: PreviewLine[]): string {
  const mark = { add: '+ ', remove: '- ', keep: '  ' } as const;
  return lines.map((l) => `${mark[l.kind]}${l.line}\n`).join('');
}

export function formatApplyPreview(preview: ApplyPreview): string {
  const out: string[] = [];
  out.push(
    preview.router.unchanged ? 'Router: already holds the plan.\n' : 'Router: these BGP lines change:\n',
  );
  if (!preview.router.unchanged)
    out.push(previewLines(preview.router.preview.filter((l) => l.kind !== 'keep')));
  const c = preview.cluster;
  out.push(
    c.willInstall
      ? `Cluster: MetalLB ${preview.plan.metallb?.version ?? ''} will be installed${c.installedVersion ? ` (replacing ${c.installedVersion})` : ''}, then its objects applied.\n`
      : `Cluster: MetalLB ${c.installedVersion ?? ''} is installed; its objects are applied if they differ.\n`,
  );
  for (const note of c.notes) out.push(`note: ${note}\n`);
  for (const w of preview.plan.warnings) out.push(`warning [${w.code}] ${w.path}: ${w.message}\n`);
  return out.join('');
}

export function formatApplyResult(result: ApplyResult): string {
  if (result.dryRun) return 'Dry run: nothing was written.\n';
  const cluster = result.cluster.changed
    ? `Cluster: ${result.cluster.installed ? 'MetalLB installed; ' : ''}applied ${result.cluster.objects.join(', ')}.`
    : 'Cluster: nothing to change.';
  const router = result.router.changed ? `Router: ${result.router.message}` : 'Router: nothing to change.';
  return `${cluster}\n${router}\n${result.changed ? '' : 'Nothing changed: the cluster and the router already held the plan.\n'}`;
}

export function formatTeardownPreview(preview: TeardownPreview, uninstall: boolean): string {
  const out: string[] = [];
  out.push(
    preview.router.unchanged
      ? 'Router: nothing of ours to remove.\n'
      : `Router: these lines run:\n${preview.router.lines.map((l) => `  ${l}\n`).join('')}`,
  );
  for (const note of preview.router.notes) out.push(`note: ${note}\n`);
  out.push(
    `Cluster: remove ${preview.cluster.objects.join(', ')}${uninstall ? ', then uninstall MetalLB' : ''}.\n`,
  );
  return out.join('');
}

export function formatStatus(report: StatusReport): string {
  const neighbors = tableOf(
    ['NEIGHBOR', 'NODE', 'STATE', 'UP/DOWN', 'PREFIXES', 'DIAGNOSIS'],
    report.neighbors.map((n) => [
      n.address,
      n.node ?? '-',
      n.state,
      n.upDown,
      n.prefixesReceived === null ? '-' : String(n.prefixesReceived),
      n.diagnosis ? n.diagnosis.summary : '',
    ]),
  );
  const routes = tableOf(
    ['PREFIX', 'SERVICE', 'NEXT HOPS'],
    report.routes.map((r) => [
      r.prefix,
      r.service ?? '-',
      r.nextHops.map((h) => `${h.address}${h.node ? ` (${h.node})` : ''}`).join(', '),
    ]),
  );
  return `${neighbors}\n${report.routes.length ? routes : 'No BGP routes yet.\n'}`;
}

export function formatTestReport(report: TestReport): string {
  const out: string[] = [];
  out.push(`${report.target}: ${report.succeeded}/${report.attempts} answered`);
  out.push(
    report.latencyMs.p50 === null
      ? ''
      : `, latency p50 ${report.latencyMs.p50} ms, max ${report.latencyMs.max} ms`,
  );
  out.push('\n');
  out.push(
    tableOf(
      ['NODE', 'ANSWERS'],
      Object.entries(report.byNode).map(([node, count]) => [node, String(count)]),
    ),
  );
  for (const failure of report.failures) out.push(`failure: ${failure}\n`);
  for (const note of report.notes) out.push(`note: ${note}\n`);
  return out.join('');
}
