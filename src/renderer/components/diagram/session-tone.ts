// How a BGP state word reads at a glance: one colour and one plain word per family of states, shared
// by the diagram and the status tables so both say the same thing.

export type SessionTone = 'up' | 'connecting' | 'opening' | 'down' | 'unknown';

const TONE_COLORS: Record<SessionTone, string> = {
  up: 'green',
  connecting: 'orange',
  opening: 'yellow',
  down: 'red',
  unknown: 'gray',
};

const TONE_WORDS: Record<SessionTone, string> = {
  up: 'up',
  connecting: 'trying to connect',
  opening: 'opening',
  down: 'down',
  unknown: 'no session data',
};

/** FRR prints `(Policy)` and `NoNeg` for sessions that are up but filtered or not negotiated. */
export function sessionToneOf(state: string | null | undefined): SessionTone {
  if (state === null || state === undefined || state.trim() === '') return 'unknown';
  const word = state.trim();
  if (word === 'Established' || word === '(Policy)' || word === 'NoNeg') return 'up';
  if (word === 'Active' || word === 'Connect') return 'connecting';
  if (word === 'OpenSent' || word === 'OpenConfirm') return 'opening';
  if (/^idle\b/i.test(word) || /^not configured$/i.test(word)) return 'down';
  return 'unknown';
}

/** A Mantine palette name (green, orange, …) for Badge `color` and CSS variables. */
export function sessionColorOf(state: string | null | undefined): string {
  return TONE_COLORS[sessionToneOf(state)];
}

export function sessionWordOf(state: string | null | undefined): string {
  return TONE_WORDS[sessionToneOf(state)];
}

/** The palette's strong shade as a CSS colour, with a fallback for use outside a MantineProvider. */
export function sessionCssColorOf(state: string | null | undefined): string {
  const fallback: Record<SessionTone, string> = {
    up: '#2f9e44',
    connecting: '#e8590c',
    opening: '#f08c00',
    down: '#e03131',
    unknown: '#868e96',
  };
  const tone = sessionToneOf(state);
  return `var(--mantine-color-${TONE_COLORS[tone]}-filled, ${fallback[tone]})`;
}
