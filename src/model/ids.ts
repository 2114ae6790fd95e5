/** Branded identifiers: a plain string at run time, a distinct type at compile time so ids are not mixed up. */
export type Brand<T, B extends string> = T & { readonly __brand: B };
export type InstrumentId = Brand<string, 'InstrumentId'>;
export type OrderId = Brand<string, 'OrderId'>;
export type ClientOrderId = Brand<string, 'ClientOrderId'>;
export type StrategyId = Brand<string, 'StrategyId'>;
export type FillId = Brand<string, 'FillId'>;
export type AccountId = Brand<string, 'AccountId'>;

export const instrumentId = (s: string): InstrumentId => s as InstrumentId;
export const orderId = (s: string): OrderId => s as OrderId;
export const clientOrderId = (s: string): ClientOrderId => s as ClientOrderId;
export const strategyId = (s: string): StrategyId => s as StrategyId;
export const fillId = (s: string): FillId => s as FillId;
export const accountId = (s: string): AccountId => s as AccountId;

/** Timestamps are integer microseconds since the Unix epoch (exact in a float64 until the year 2255). */
export type UnixMicros = number;
export const MICROS_PER_MS = 1_000;
export const MICROS_PER_SECOND = 1_000_000;
export const MICROS_PER_DAY = 86_400_000_000;
