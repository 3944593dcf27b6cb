// The wizard window: the guided setup, or, once a setup is applied, the home screen.

import { Suspense, lazy, useEffect } from 'react';
import { wizardApi } from './api.ts';
import { BackendMissing } from './components/BackendMissing.tsx';
import { WizardFrame } from './components/WizardFrame.tsx';
import { LoadingState } from './components/states.tsx';
import { listenToOperations, loadStartup } from './store/actions.ts';
import { useSession } from './store/session.ts';
import { useWizard } from './store/wizard.ts';

// Only a later launch shows it: kept out of the first screen's bundle.
const HomeScreen = lazy(() => import('./components/HomeScreen.tsx').then((m) => ({ default: m.HomeScreen })));

function ConnectedApp() {
  const screen = useWizard((s) => s.screen);
  const info = useSession((s) => s.info);
  useEffect(() => {
    const stop = listenToOperations();
    void loadStartup();
    return stop;
  }, []);
  if (info.status === 'idle' || info.status === 'loading') {
    return <LoadingState label="Connecting to the app backend…" />;
  }
  if (info.status === 'error') {
    return <BackendMissing detail={info.message} onRetry={() => void loadStartup()} />;
  }
  return screen === 'home' ? (
    <Suspense fallback={<LoadingState label="Loading…" />}>
      <HomeScreen />
    </Suspense>
  ) : (
    <WizardFrame />
  );
}

export function App() {
  // wizardApi() is the preload's object in Electron, the bridge client in a browser; null only
  // where neither can exist.
  return wizardApi() ? <ConnectedApp /> : <BackendMissing />;
}
