import { invalid } from '../model/index.js';

/**
 * Parses ISO-8601 dates and date-times as UTC unless they carry an offset: `2004-08-19`,
 * `2021-12-31 23:01:00.000000`, `2012-02-01T00:00:00+00:00`, `...Z`. Returns µs since the epoch, or NaN.
 * Hand-written because Date.parse reads offset-less date-times as local time and is slow.
 */
export function parseIsoMicros(s: string): number {
  const n = s.length;
  if (n < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return Number.NaN;
  const y = num(s, 0, 4);
  const mo = num(s, 5, 7);
  const d = num(s, 8, 10);
  let h = 0;
  let mi = 0;
  let sec = 0;
  let micro = 0;
  let off = 0;
  let i = 10;
  if (i < n && (s[i] === 'T' || s[i] === ' ')) {
    h = num(s, 11, 13);
    mi = num(s, 14, 16);
    i = 16;
    if (s[i] === ':') {
      sec = num(s, 17, 19);
      i = 19;
      if (s[i] === '.') {
        let j = i + 1;
        let digits = 0;
        let frac = 0;
        while (j < n && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) {
          if (digits < 6) {
            frac = frac * 10 + (s.charCodeAt(j) - 48);
            digits++;
          }
          j++;
        }
        micro = frac * 10 ** (6 - digits);
        i = j;
      }
    }
    if (i < n) {
      const c = s[i];
      if (c === 'Z') i++;
      else if (c === '+' || c === '-') {
        const oh = num(s, i + 1, i + 3);
        const om = s[i + 3] === ':' ? num(s, i + 4, i + 6) : num(s, i + 3, i + 5);
        off = (c === '+' ? 1 : -1) * (oh * 60 + om);
        i = s[i + 3] === ':' ? i + 6 : i + 5;
      }
    }
  }
  if (i !== n && s.slice(i).trim() !== '') return Number.NaN;
  if (
    Number.isNaN(y + mo + d + h + mi + sec + off) ||
    mo < 1 ||
    mo > 12 ||
    d < 1 ||
    d > 31 ||
    h > 23 ||
    mi > 59 ||
    sec > 60
  )
    return Number.NaN;
  return (Date.UTC(y, mo - 1, d, h, mi, sec) - off * 60_000) * 1000 + micro;
}

function num(s: string, a: number, b: number): number {
  if (b > s.length) return Number.NaN;
  let v = 0;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return Number.NaN;
    v = v * 10 + c;
  }
  return v;
}

export type EpochUnit = 's' | 'ms' | 'us' | 'ns';

/** Guesses the unit of an epoch number by its magnitude (valid for dates 1973–2286). */
export function epochUnit(x: number): EpochUnit {
  const a = Math.abs(x);
  if (a < 1e11) return 's';
  if (a < 1e14) return 'ms';
  if (a < 1e17) return 'us';
  return 'ns';
}

export function epochToMicros(x: number, unit: EpochUnit): number {
  switch (unit) {
    case 's':
      return Math.round(x * 1e6);
    case 'ms':
      return Math.round(x * 1e3);
    case 'us':
      return x;
    case 'ns':
      return Math.round(x / 1e3);
  }
}

/** Parses a timestamp cell (epoch s/ms/µs/ns or ISO-8601) to µs, or throws naming the field. */
export function parseTimestamp(cell: string, field = 'timestamp'): number {
  const t = cell.trim();
  const x = Number(t);
  if (t !== '' && Number.isFinite(x)) return epochToMicros(x, epochUnit(x));
  const iso = parseIsoMicros(t);
  if (Number.isNaN(iso)) throw invalid(field, cell, 'is neither an epoch number nor an ISO-8601 date');
  return iso;
}

/** ISO-8601 UTC with as many fractional digits as the value needs (none, ms or µs). */
export function isoMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  const rest = us - ms * 1000;
  const d = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  if (rest !== 0) return `${d.slice(0, 23)}${String(rest).padStart(3, '0')}Z`;
  return ms % 1000 === 0 ? `${d.slice(0, 19)}Z` : d;
}
