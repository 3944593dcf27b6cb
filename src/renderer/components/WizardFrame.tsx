// Runs the step engine: the step list, the shown step's panel, Back and Next. Which steps exist,
// what they need and when they are complete is all in steps/steps.ts.

import { Suspense, useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import { AppShell, Badge, Button, Group, NavLink, Stack, Text, Title } from '@mantine/core';
import { canEnter, navigationOf } from '../steps/engine.ts';
import type { StepTone } from '../steps/engine.ts';
import { PANELS } from '../steps/panels.tsx';
import { STEPS } from '../steps/steps.ts';
import { useStepState } from '../store/step-state.ts';
import { useWizard } from '../store/wizard.ts';
import { AppMenu } from './AppMenu.tsx';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { LoadingState } from './states.tsx';

const TONE_COLOR: Record<StepTone, string> = {
  todo: 'gray',
  running: 'blue',
  done: 'green',
  warning: 'yellow',
  error: 'red',
};

export function Shell({
  header,
  navbar,
  children,
}: {
  header: ReactNode;
  navbar?: ReactNode;
  children: ReactNode;
}) {
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={navbar ? { width: 250, breakpoint: 'sm', collapsed: { mobile: true } } : undefined}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Title order={1} size="h4">
            MetalLB BGP Wizard
          </Title>
          {header}
        </Group>
      </AppShell.Header>
      {navbar && (
        <AppShell.Navbar p="xs" component="nav" aria-label="Steps">
          {navbar}
        </AppShell.Navbar>
      )}
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}

export function WizardFrame() {
  const state = useStepState();
  const goTo = useWizard((s) => s.goTo);
  const patch = useWizard((s) => s.patch);
  const nav = navigationOf(STEPS, state, state.wizard.current);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const stepId = nav?.step.id;

  useEffect(() => {
    if (!nav) return;
    nav.step.onEnter?.();
    headingRef.current?.focus();
    // Only when the shown step changes, not on every state change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stepId]);

  if (!nav) return null;
  const Panel = PANELS[nav.step.id];
  const status = nav.step.status(state);
  const navbar = (
    <Stack gap={2}>
      {nav.steps.map((step, i) => {
        const s = step.status(state);
        const enterable = canEnter(step, STEPS, state);
        return (
          <NavLink
            key={step.id}
            component="button"
            label={`${i + 1}. ${step.title}`}
            description={s.text || undefined}
            active={step.id === nav.step.id}
            aria-current={step.id === nav.step.id ? 'step' : undefined}
            disabled={!enterable}
            data-testid={`nav-${step.id}`}
            rightSection={<Badge size="xs" circle color={TONE_COLOR[s.tone]} aria-hidden />}
            onClick={() => goTo(step.id)}
          />
        );
      })}
    </Stack>
  );
  const header = (
    <Group gap="xs">
      {state.wizard.flow === 'change' && (
        <Button size="xs" variant="subtle" onClick={() => patch({ screen: 'home', flow: 'setup' })}>
          Back to home
        </Button>
      )}
      <AppMenu onImported={() => goTo('topology')} />
    </Group>
  );
  return (
    <Shell header={header} navbar={navbar}>
      <Stack maw={1000} mx="auto" data-testid={`step-${nav.step.id}`}>
        <Group justify="space-between" align="flex-start">
          <div>
            <Text size="xs" c="dimmed">
              Step {nav.index + 1} of {nav.steps.length}
            </Text>
            <Title order={2} ref={headingRef} tabIndex={-1} data-testid="step-title">
              {nav.step.title}
            </Title>
            <Text size="sm" c="dimmed">
              {nav.step.summary}
            </Text>
          </div>
          {status.text && (
            <Badge color={TONE_COLOR[status.tone]} variant="light" data-testid="step-status">
              {status.text}
            </Badge>
          )}
        </Group>
        <ErrorBoundary what={`the ${nav.step.title} step`}>
          <Suspense fallback={<LoadingState label="Loading…" />}>
            <Panel />
          </Suspense>
        </ErrorBoundary>
        <Group
          justify="space-between"
          mt="md"
          pt="md"
          style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}
        >
          <Button
            variant="default"
            disabled={nav.back === null}
            onClick={() => nav.back && goTo(nav.back)}
            data-testid="wizard-back"
          >
            Back
          </Button>
          <Group gap="sm">
            {nav.nextBlockedBy && nav.index < nav.steps.length - 1 && (
              <Text size="sm" c="dimmed" data-testid="next-blocked">
                {nav.nextBlockedBy}
              </Text>
            )}
            {nav.index < nav.steps.length - 1 && (
              <Button
                disabled={nav.next === null}
                onClick={() => nav.next && goTo(nav.next)}
                data-testid="wizard-next"
              >
                Next
              </Button>
            )}
          </Group>
        </Group>
      </Stack>
    </Shell>
  );
}
