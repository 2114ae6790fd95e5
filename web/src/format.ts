const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const fmtMoney = (n: number | null | undefined): string =>
  n === null || n === undefined || !Number.isFinite(n) ? '—' : money.format(n);

export const fmtNum = (n: number | null | undefined, digits = 4): string =>
  n === null || n === undefined || !Number.isFinite(n)
    ? '—'
    : n.toLocaleString('en-US', { maximumFractionDigits: digits });

export const fmtPct = (n: number | null | undefined): string =>
  n === null || n === undefined || !Number.isFinite(n) ? '—' : `${n >= 0 ? '' : '−'}${Math.abs(n).toFixed(2)}%`;

/** API timestamps are µs since the epoch. */
export const fmtTime = (us: number): string => new Date(us / 1000).toLocaleTimeString('en-GB');
export const fmtDate = (us: number): string => new Date(us / 1000).toISOString().slice(0, 16).replace('T', ' ');

export const signClass = (n: number): string => (n > 0 ? 'pos' : n < 0 ? 'neg' : '');
