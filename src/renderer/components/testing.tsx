// Test support for the renderer's component tests: what jsdom lacks for Mantine (also used by the
// status window's tests), a Mantine wrapper, and a stand-in backend at the `wizardApi()` boundary
// that answers per channel.

import type { ReactElement } from 'react';
import { MantineProvider } from '@mantine/core';
import { render } from '@testing-library/react';
import type {
  Channel,
  Envelope,
  OperationEvent,
  RequestOf,
  ResponseOf,
  WizardApi,
} from '../../shared/contract.ts';

/** jsdom has no layout engine: give the browser APIs Mantine, xyflow and the virtualizer expect. */
export function installDomStubs(): void {
  if (!window.matchMedia) {
    window.matchMedia = (query: string) =>
      ({
        matches: false,
        media: query,
        onchange: null,
        addListener: () => undefined,
        removeListener: () => undefined,
        addEventListener: () => undefined,
        removeEventListener: () => undefined,
        dispatchEvent: () => false,
      }) as MediaQueryList;
  }
  if (!('ResizeObserver' in window)) {
    class NoResizeObserver {
      observe(): void {}
      unobserve(): void {}
      disconnect(): void {}
    }
    Object.assign(window, { ResizeObserver: NoResizeObserver });
    Object.assign(globalThis, { ResizeObserver: NoResizeObserver });
  }
  if (!('DOMMatrixReadOnly' in window)) {
    class Matrix {
      m22: number;
      constructor(transform?: string) {
        const scale = /scale\(([\d.]+)\)/.exec(transform ?? '');
        this.m22 = scale ? Number(scale[1]) : 1;
      }
    }
    Object.assign(window, { DOMMatrixReadOnly: Matrix, DOMMatrix: Matrix });
    Object.assign(globalThis, { DOMMatrixReadOnly: Matrix, DOMMatrix: Matrix });
  }
  window.HTMLElement.prototype.scrollIntoView ??= () => undefined;
  if (!('fonts' in document)) {
    const fonts = { addEventListener: () => undefined, removeEventListener: () => undefined };
    Object.defineProperty(document, 'fonts', { configurable: true, value: fonts });
  }
}

export function renderWithMantine(ui: ReactElement) {
  return render(<MantineProvider>{ui}</MantineProvider>);
}

export type Answers = {
  [C in Channel]?: (request: RequestOf<C>) => Envelope<ResponseOf<C>> | Promise<Envelope<ResponseOf<C>>>;
};

/** A backend that answers the given channels and records every call; others fail clearly. */
export function fakeBackend(
  answers: Answers,
): WizardApi & { calls: { channel: Channel; request: unknown }[] } {
  const calls: { channel: Channel; request: unknown }[] = [];
  const listeners = new Set<(event: OperationEvent) => void>();
  return {
    calls,
    async call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Envelope<ResponseOf<C>>> {
      calls.push({ channel, request });
      const answer = answers[channel] as ((r: RequestOf<C>) => Envelope<ResponseOf<C>>) | undefined;
      if (!answer)
        return { ok: false, error: { message: `no answer for ${channel} in this test`, kind: 'failed' } };
      return answer(request);
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
