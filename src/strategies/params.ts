import { z } from 'zod';

/** backtesting.py's default order size: 1 − 2⁻⁵², i.e. all available equity in whole units. */
export const BTPY_FRACTION = 1 - 2 ** -52;

/** Accepts true/false, 1/0, yes/no (CLI `--param short=true`). */
export const boolParam = z.preprocess((v) => {
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(s)) return true;
    if (['false', '0', 'no', 'off'].includes(s)) return false;
  }
  return v;
}, z.boolean());
