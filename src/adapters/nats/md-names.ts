import { invalid } from '../../model/index.js';

/** The three kinds of market data a collector publishes, one JetStream stream each. */
export type MdKind = 'book' | 'trade' | 'funding';
export const MD_KINDS: readonly MdKind[] = ['book', 'trade', 'funding'];

/**
 * Where collected market data lives on a NATS server: subjects `md.<kind>.<venue>.<symbol>` on the
 * streams MD_BOOK, MD_TRADE and MD_FUNDING. A prefix (tests, or two deployments on one server) puts
 * both apart: `<prefix>.md.book.…` on `<prefix>_MD_BOOK`.
 */
export interface MdNames {
  readonly prefix: string;
  stream(kind: MdKind): string;
  /** Every subject of a kind: `md.book.>`. */
  filter(kind: MdKind): string;
  subject(kind: MdKind, instrumentId: string): string;
}

const PREFIX_RULE = /^[A-Za-z0-9_-]{1,64}$/;

export function mdNames(prefix = ''): MdNames {
  if (typeof prefix !== 'string' || (prefix !== '' && !PREFIX_RULE.test(prefix)))
    throw invalid('prefix', prefix, 'must be empty or 1-64 letters, digits, "_" or "-"');
  const subj = prefix ? `${prefix}.md` : 'md';
  const stream = prefix ? `${prefix}_MD_` : 'MD_';
  return {
    prefix,
    stream: (kind) => `${stream}${kind.toUpperCase()}`,
    filter: (kind) => `${subj}.${kind}.>`,
    subject: (kind, id) => {
      const { venue, symbol } = splitInstrument(id);
      return `${subj}.${kind}.${subjectToken(venue)}.${subjectToken(symbol)}`;
    },
  };
}

/** `binance-usdm:BTCUSDT` → venue `binance-usdm`, symbol `BTCUSDT`; an id without a venue → `unknown`. */
export function splitInstrument(id: string): { venue: string; symbol: string } {
  const i = id.indexOf(':');
  return i < 0 ? { venue: 'unknown', symbol: id } : { venue: id.slice(0, i), symbol: id.slice(i + 1) };
}

/**
 * A subject token may not hold `.`, `*`, `>` or white space (they split or wildcard subjects); we keep
 * letters, digits, `_` and `-` and turn anything else into `_` (`BTC/USDT:USDT` → `BTC_USDT_USDT`). The
 * payload carries the exact instrument id, so nothing is lost when two symbols share a token.
 */
export function subjectToken(s: string): string {
  const t = s.replace(/[^A-Za-z0-9_-]/g, '_');
  return t === '' ? '_' : t;
}
