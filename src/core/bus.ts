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
  /**
   * The `this` of each handler (undefined for a plain function), parallel to `handlers`. A method shared by
   * every instance (the kernel's per-strategy dispatch) stays the same function from one engine to the
   * next, so the engines' compiled bar loops keep inlining it (see the kernel's StrategyBars).
   */
  selves: unknown[] = [];
  constructor(name: string) {
    this.name = name;
  }
  publish(msg: T): void {
    const h = this.handlers;
    const s = this.selves;
    for (let i = 0; i < h.length; i++) h[i]!.call(s[i], msg);
  }
  /** Adds a handler (the bus's subscribe calls this). */
  add(handler: Handler<T>, self: unknown): void {
    this.handlers.push(handler);
    this.selves.push(self);
  }

  /** Removes a handler added with the same `self`. */
  remove(handler: Handler<T>, self: unknown): void {
    let i = 0;
    while (i < this.handlers.length && (this.handlers[i] !== handler || this.selves[i] !== self)) i++;
    if (i === this.handlers.length) return;
    // Copy on write: a handler that unsubscribes during dispatch does not disturb the running loop.
    this.handlers = this.handlers.slice(0, i).concat(this.handlers.slice(i + 1));
    this.selves = this.selves.slice(0, i).concat(this.selves.slice(i + 1));
  }

  get hasSubscribers(): boolean {
    return this.handlers.length > 0;
  }
}

interface PatternSub {
  pattern: string;
  re: RegExp;
  handler: Handler<never>;
  self: unknown;
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
      for (const p of this.patterns) if (p.re.test(name)) t.add(p.handler as Handler<unknown>, p.self);
      this.topics.set(name, t);
    }
    return t as Topic<T>;
  }

  /**
   * Subscribes to a topic or pattern; returns the function that unsubscribes. `self` is the handler's
   * `this` (a method shared by many instances: see Topic.selves).
   */
  subscribe<T>(pattern: string, handler: Handler<T>, self?: unknown): () => void {
    if (pattern.includes('*')) {
      const sub: PatternSub = {
        pattern,
        re: patternToRegExp(pattern),
        handler: handler as Handler<never>,
        self,
      };
      this.patterns.push(sub);
      for (const t of this.topics.values()) if (sub.re.test(t.name)) t.add(handler as Handler<unknown>, self);
      return () => {
        const i = this.patterns.indexOf(sub);
        if (i >= 0) this.patterns.splice(i, 1);
        for (const t of this.topics.values()) t.remove(handler as Handler<unknown>, self);
      };
    }
    const t = this.topic<T>(pattern);
    t.add(handler, self);
    return () => t.remove(handler, self);
  }

  /**
   * Publishes to a topic by name. A topic nobody subscribes to is not dispatched at all: Topic.publish is
   * inlined into the engines' bar loops, and a call on an empty topic (an order denial nobody listens to)
   * gave it a second array map there, a cost on every bar (docs/BENCHMARKS.md, "The risk overhead").
   */
  publish<T>(name: string, msg: T): void {
    const t = this.topic<T>(name);
    if (t.hasSubscribers) t.publish(msg);
  }

  topicNames(): string[] {
    return [...this.topics.keys()];
  }
}
