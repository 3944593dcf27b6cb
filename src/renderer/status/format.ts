// Times and durations as the status window prints them.

export function durationText(ms: number): string {
  if (!Number.isFinite(ms) || ms < 1000) return 'less than a second';
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

// What Date#toLocaleTimeString() prints, made once: building the formatter on each call costs
// tens of milliseconds the first time (locale data) and a little on every snapshot after.
const CLOCK = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: 'numeric', second: 'numeric' });

/** A wall-clock time for "last update" and "down since"; the ISO text itself when unreadable. */
export function clockText(time: number | string): string {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? String(time) : CLOCK.format(date);
}

/** A message for something thrown where an envelope was expected: never a stack trace. */
export function failureText(error: unknown, what: string): string {
  const detail = error instanceof Error ? error.message.split('\n')[0] : '';
  return detail
    ? `${what} failed: ${detail}. Check that the app is still running, then retry.`
    : `${what} failed. Check that the app is still running, then retry.`;
}
