// Running operations by id, so that a cancel from any shell reaches the call it names.

import { randomUUID } from 'node:crypto';

export class Operations {
  readonly #running = new Map<string, AbortController>();

  /** Registers a call; an id already running is refused so one cancel never stops two calls. */
  start(requestedId: string | undefined): { id: string; signal: AbortSignal } | { error: string } {
    const id = requestedId ?? randomUUID();
    if (this.#running.has(id)) return { error: `operation "${id}" is already running; use another id` };
    const controller = new AbortController();
    this.#running.set(id, controller);
    return { id, signal: controller.signal };
  }

  finish(id: string): void {
    this.#running.delete(id);
  }

  cancel(id: string): boolean {
    const controller = this.#running.get(id);
    if (!controller) return false;
    controller.abort();
    return true;
  }

  cancelAll(): void {
    for (const controller of this.#running.values()) controller.abort();
  }
}
