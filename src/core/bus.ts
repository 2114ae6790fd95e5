/**
 * The in-process message bus: synchronous dispatch, exact topics plus `*` wildcards ('orders.*' matches
 * 'orders.S1'; a lone '*' matches everything). Publishing resolves nothing per message: a Topic holds its
 * handler array, and hot paths keep the Topic object (see core/topics.ts).
 */
export type Handler<T> = (msg: T) => void;

export class Topic<T> {
  readonly name: string;
  /** Handlers in subscription order. Treat as read-only outside the bus. */
  handlers: Handler<T>[] = [];
  constructor(name: string) {
    this.name = name;
  }
  publish(msg: T): void {
    const h = this.handlers;
    for (let i = 0; i < h.length; i++) h[i]!(msg);
  }
  get hasSubscribers(): boolean {
    return this.handlers.length > 0;
  }
}

interface PatternSub {
  pattern: string;
  re: RegExp;
  handler: Handler<never>;
}

function patternToRegExp(p: string): RegExp {
  const esc = p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${esc.join('.*')}$`);
}

export class MessageBus {
  private readonly topics = new Map<string, Topic<unknown>>();
  private readonly patterns: PatternSub[] = [];

  /** The topic named `name`, created on first use. */
  topic<T>(name: string): Topic<T> {
    let t = this.topics.get(name);
    if (!t) {
      t = new Topic<unknown>(name);
      for (const p of this.patterns) if (p.re.test(name)) t.handlers.push(p.handler as Handler<unknown>);
      this.topics.set(name, t);
    }
    return t as Topic<T>;
  }

  /** Subscribes to a topic or pattern; returns the function that unsubscribes. */
  subscribe<T>(pattern: string, handler: Handler<T>): () => void {
    if (pattern.includes('*')) {
      const sub: PatternSub = { pattern, re: patternToRegExp(pattern), handler: handler as Handler<never> };
      this.patterns.push(sub);
      for (const t of this.topics.values())
        if (sub.re.test(t.name)) t.handlers.push(handler as Handler<unknown>);
      return () => {
        const i = this.patterns.indexOf(sub);
        if (i >= 0) this.patterns.splice(i, 1);
        for (const t of this.topics.values()) this.remove(t, handler as Handler<unknown>);
      };
    }
    const t = this.topic<T>(pattern);
    t.handlers.push(handler);
    return () => this.remove(t as Topic<unknown>, handler as Handler<unknown>);
  }

  publish<T>(name: string, msg: T): void {
    this.topic<T>(name).publish(msg);
  }

  topicNames(): string[] {
    return [...this.topics.keys()];
  }

  private remove(t: Topic<unknown>, h: Handler<unknown>): void {
    const i = t.handlers.indexOf(h);
    // Copy on write: a handler that unsubscribes during dispatch does not disturb the running loop.
    if (i >= 0) t.handlers = t.handlers.slice(0, i).concat(t.handlers.slice(i + 1));
  }
}
