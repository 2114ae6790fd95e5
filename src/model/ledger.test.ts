import { describe, expect, it } from 'vitest';
import { Random } from '../core/random.js';
import { CashLedger } from './ledger.js';

describe('CashLedger', () => {
  it('reconciles exactly: cash change equals the sum of fill notionals and fees over 100,000 random fills', () => {
    const rnd = new Random(2024);
    const ledger = new CashLedger({ USD: 8 });
    ledger.post(0, 'USD', 'deposit', 1_000_000, 'init');
    let floatCash = 1_000_000;
    let notionalUnits = 0;
    let feeUnits = 0;
    for (let i = 0; i < 100_000; i++) {
      const qty = Math.round(rnd.uniform(0.001, 5) * 1000) / 1000;
      const price = Math.round(rnd.uniform(10, 70_000) * 100) / 100;
      const side = rnd.next() < 0.5 ? 1 : -1;
      const notional = -side * qty * price;
      const fee = qty * price * 0.00075;
      notionalUnits += ledger.post(i, 'USD', 'trade', notional, `F-${i}`);
      feeUnits += ledger.post(i, 'USD', 'fee', -fee, `F-${i}`);
      floatCash += notional - fee;
    }
    const change = ledger.balanceUnits('USD') - ledger.toUnits('USD', 1_000_000);
    expect(change).toBe(notionalUnits + feeUnits);
    expect(ledger.sumUnits('USD', ['trade'])).toBe(notionalUnits);
    expect(ledger.sumUnits('USD', ['fee'])).toBe(feeUnits);
    expect(ledger.sumUnits('USD')).toBe(ledger.balanceUnits('USD'));
    expect(Number.isInteger(ledger.balanceUnits('USD'))).toBe(true);
    // A naive float accumulator is near but is not the reconciled figure we report.
    expect(Math.abs(ledger.balance('USD') - floatCash)).toBeLessThan(1);
    expect(ledger.entries.length).toBe(200_001);
  });

  it('rounds each amount once to the minor unit and refuses overflow with a fix in the message', () => {
    const l = new CashLedger({ JPY: 0 });
    l.post(0, 'JPY', 'deposit', 100.5, 'a');
    expect(l.balance('JPY')).toBe(101);
    expect(() => l.post(0, 'JPY', 'deposit', 1e17, 'b')).toThrowError(/fewer decimals/);
    expect(() => l.post(0, 'JPY', 'deposit', Number.NaN, 'c')).toThrowError(/ledger.amount.JPY/);
  });

  it('keeps the currency, kind and ref of each entry, whether the ref was given as text or as a number', () => {
    const l = new CashLedger({ USD: 2, EUR: 2 });
    l.spellRef = (n) => `F-run-${n}`;
    l.post(1, 'USD', 'deposit', 100, 'initial');
    l.post(2, 'USD', 'trade', -40, 7);
    l.post(3, 'EUR', 'fee', -0.5, 7);
    l.post(4, 'USD', 'funding', 1.25, 'funding-1');
    expect(l.entries).toEqual([
      { seq: 0, ts: 1, currency: 'USD', kind: 'deposit', units: 10_000, ref: 'initial' },
      { seq: 1, ts: 2, currency: 'USD', kind: 'trade', units: -4_000, ref: 'F-run-7' },
      { seq: 2, ts: 3, currency: 'EUR', kind: 'fee', units: -50, ref: 'F-run-7' },
      { seq: 3, ts: 4, currency: 'USD', kind: 'funding', units: 125, ref: 'funding-1' },
    ]);
    expect(l.sumUnits('USD')).toBe(l.balanceUnits('USD'));
    expect(l.sumUnits('EUR', ['fee'])).toBe(-50);
    expect(l.sumUnits('GBP')).toBe(0);
  });
});
