// What the status window watches: the wizard's topology and cluster selection. Given as props when
// the wizard opens the window; otherwise read from the wizard's persisted state, which another
// part of the app writes, so every field is checked before use.

import type { RequestOf } from '../../shared/contract.ts';

export type KubeSelection = RequestOf<'status.watch'>['kube'];

export interface WatchInputs {
  topologyText: string;
  fileName: string;
  kube: KubeSelection;
}

export interface StatusWindowProps {
  topologyText?: string | null;
  fileName?: string | null;
  kube?: { kubeconfig?: string | null; context?: string | null } | null;
}

/** The keys the wizard's zustand store may persist under, first found wins. */
export const WIZARD_STORAGE_KEYS = ['mbw-wizard', 'metallb-bgp-wizard'] as const;
export const DEFAULT_FILE_NAME = 'topology.yaml';

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** Drops empty fields: the contract refuses an empty kubeconfig path or context name. */
export function kubeSelectionOf(value: unknown): KubeSelection {
  if (typeof value !== 'object' || value === null) return {};
  const record = value as Record<string, unknown>;
  const kubeconfig = nonEmpty(record.kubeconfig);
  const context = nonEmpty(record.context);
  return { ...(kubeconfig ? { kubeconfig } : {}), ...(context ? { context } : {}) };
}

function storedStateUnder(storage: Storage | undefined, key: string): Record<string, unknown> | null {
  try {
    const raw = storage?.getItem(key);
    if (!raw) return null;
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const state = (parsed as { state?: unknown }).state;
    return typeof state === 'object' && state !== null ? (state as Record<string, unknown>) : null;
  } catch {
    // Unreadable or blocked storage is the same as nothing stored: the window explains what to do.
    return null;
  }
}

function storedWizardState(storage: Storage | undefined): Record<string, unknown> | null {
  for (const key of WIZARD_STORAGE_KEYS) {
    const state = storedStateUnder(storage, key);
    if (state !== null && nonEmpty(state.topologyText) !== undefined) return state;
  }
  return null;
}

function defaultStorage(): Storage | undefined {
  try {
    return typeof window !== 'undefined' ? window.localStorage : undefined;
  } catch {
    return undefined;
  }
}

/** Props first, then the wizard's saved state; null when neither holds a topology. */
export function watchInputsOf(
  props: StatusWindowProps,
  storage: Storage | undefined = defaultStorage(),
): WatchInputs | null {
  const given = nonEmpty(props.topologyText);
  if (given !== undefined) {
    return {
      topologyText: given,
      fileName: nonEmpty(props.fileName) ?? DEFAULT_FILE_NAME,
      kube: kubeSelectionOf(props.kube),
    };
  }
  const stored = storedWizardState(storage);
  const text = nonEmpty(stored?.topologyText);
  if (stored === null || text === undefined) return null;
  return {
    topologyText: text,
    fileName: nonEmpty(stored.fileName) ?? nonEmpty(stored.topologyFileName) ?? DEFAULT_FILE_NAME,
    kube: kubeSelectionOf(props.kube ?? stored.kube),
  };
}
