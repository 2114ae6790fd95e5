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
});
