import type { Logger } from 'pino';

/**
 * Domain events, emitted by services after their transaction commits. Consumers (audit, later
 * webhooks, notifications, search, the websocket hub) subscribe by name. A failing consumer is
 * logged and never breaks the request that emitted the event.
 */
export interface DomainEvent<P = Record<string, unknown>> {
  readonly name: string;
  readonly orgId: string | null;
  readonly at: string;
  readonly payload: P;
}

type Handler = (event: DomainEvent) => void | Promise<void>;

export class EventBus {
  private readonly handlers = new Map<string, Handler[]>();
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  /** Subscribes to one event name, or to every event with `'*'`. */
  on(name: string, handler: Handler): void {
    this.handlers.set(name, [...(this.handlers.get(name) ?? []), handler]);
  }

  emit(event: DomainEvent): void {
    for (const handler of [...(this.handlers.get(event.name) ?? []), ...(this.handlers.get('*') ?? [])]) {
      const run = (async () => handler(event))()
        .catch((error: unknown) => this.logger.error({ err: error, event: event.name }, 'event handler failed'))
        .finally(() => this.pending.delete(run));
      this.pending.add(run);
    }
  }

  /** Waits for in-flight handlers (shutdown and tests). */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
