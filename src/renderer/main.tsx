import '@mantine/core/styles.css';
import '@mantine/charts/styles.css';
import { StrictMode, Suspense, lazy, useEffect, useState } from 'react';
import type { ComponentType } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider, createTheme } from '@mantine/core';
import { App } from './App.tsx';
import { ErrorBoundary } from './components/ErrorBoundary.tsx';
import { LoadingState } from './components/states.tsx';
import { isStatusRoute } from './components/routes.ts';

const theme = createTheme({ primaryColor: 'blue', defaultRadius: 'md' });

type StatusModule = { StatusWindow?: ComponentType; default?: ComponentType };
// The live status window is built beside this file (./status/); it loads only on its route.
const statusModules = import.meta.glob<StatusModule>('./status/index.ts');
const loadStatus = statusModules['./status/index.ts'];
const StatusWindow = lazy(async (): Promise<{ default: ComponentType }> => {
  if (!loadStatus)
    return { default: () => <LoadingState label="The status window is not part of this build." /> };
  const module = await loadStatus();
  const component = module.StatusWindow ?? module.default;
  if (!component) throw new Error('the status module exports no StatusWindow');
  return { default: component };
});

function Root() {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <ErrorBoundary what="this window">
        {isStatusRoute(hash) ? (
          <Suspense fallback={<LoadingState label="Loading the status window…" />}>
            <StatusWindow />
          </Suspense>
        ) : (
          <App />
        )}
      </ErrorBoundary>
    </MantineProvider>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <Root />
    </StrictMode>,
  );
}
