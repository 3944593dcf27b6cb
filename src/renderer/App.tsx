import { useState } from 'react';
import { STEPS } from './steps/steps.ts';
import { useWizard } from './store/wizard.ts';
import { wizardApi } from './api.ts';
import type { PlanReport } from '../shared/report.ts';

function Welcome() {
  return (
    <section aria-labelledby="welcome-title">
      <h2 id="welcome-title">Welcome</h2>
      <p>
        This wizard configures MetalLB in BGP mode on your cluster and BGP on your EdgeRouter, so that
        LoadBalancer Services get addresses the router load-balances across your nodes.
      </p>
      <p>
        On the router it adds only BGP neighbors marked <code>mbw-</code>, a router id and maximum-paths. On
        the cluster it installs MetalLB in <code>metallb-system</code> and its address pool, peer and
        advertisement.
      </p>
    </section>
  );
}

function TopologyStep() {
  const { topologyText, setTopologyText } = useWizard();
  const [report, setReport] = useState<PlanReport | null>(null);
  const [message, setMessage] = useState('');
  const api = wizardApi();

  async function plan() {
    if (!api) {
      setMessage('The app backend is not connected.');
      return;
    }
    // Main parses the text with the one topology parser (multi-document, keys, escaping checks).
    const reply = await api.call('plan.build', {
      topology: { text: topologyText, fileName: 'topology.yaml' },
    });
    if (!reply.ok) {
      setMessage(reply.error.message);
      return;
    }
    setMessage('');
    setReport(reply.value);
  }

  return (
    <section aria-labelledby="topology-title">
      <h2 id="topology-title">Topology</h2>
      <label htmlFor="topology-text">topology.yaml</label>
      <textarea
        id="topology-text"
        rows={16}
        cols={80}
        value={topologyText}
        onChange={(e) => setTopologyText(e.target.value)}
      />
      <button type="button" onClick={() => void plan()}>
        Plan
      </button>
      {message && <p role="alert">{message}</p>}
      {report && (
        <div>
          {report.errors.map((e) => (
            <p key={e.path + e.message} role="alert">
              {e.path}: {e.message}
            </p>
          ))}
          {report.warnings.map((w) => (
            <p key={w.code + w.path}>
              <strong>{w.code}</strong> {w.message}
            </p>
          ))}
          {report.router && <pre>{report.router.commands.join('\n')}</pre>}
        </div>
      )}
    </section>
  );
}

export function App() {
  const { current, goTo } = useWizard();
  const index = STEPS.findIndex((s) => s.id === current);
  return (
    <main>
      <h1>MetalLB BGP Wizard</h1>
      <nav aria-label="Steps">
        <ol>
          {STEPS.map((s) => (
            <li key={s.id} aria-current={s.id === current ? 'step' : undefined}>
              {s.title}
            </li>
          ))}
        </ol>
      </nav>
      {current === 'welcome' ? <Welcome /> : <TopologyStep />}
      <div>
        <button type="button" disabled={index <= 0} onClick={() => goTo(STEPS[index - 1]!.id)}>
          Back
        </button>
        <button type="button" disabled={index >= STEPS.length - 1} onClick={() => goTo(STEPS[index + 1]!.id)}>
          Next
        </button>
      </div>
    </main>
  );
}
