import type { Random } from '../../core/index.js';
import { invalid } from '../../model/index.js';

/**
 * One leg of latency, in integer µs: a draw per message. hftbacktest splits a venue's latency into
 * order entry (strategy → venue) and response (venue → strategy); we add the market-data leg (venue →
 * strategy for book and trade messages). Draws are whole µs and never negative: a latency of -3 µs
 * would let an order act on the book before it was sent.
 */
export interface LatencyModel {
  readonly name: string;
  sample(): number;
}

export class ConstantLatency implements LatencyModel {
  readonly name = 'constant';
  readonly us: number;
  constructor(us: number) {
    if (!(Number.isFinite(us) && us >= 0))
      throw invalid('latency.us', us, 'must be a number of microseconds >= 0');
    this.us = Math.round(us);
  }
  sample(): number {
    return this.us;
  }
}

/** Normal(mean, sd) truncated at `min` (default 0). Seeded: same seed, same draws. */
export class NormalLatency implements LatencyModel {
  readonly name = 'normal';
  constructor(
    private readonly random: Random,
    readonly meanUs: number,
    readonly sdUs: number,
    readonly minUs = 0,
  ) {
    if (!(Number.isFinite(meanUs) && meanUs >= 0)) throw invalid('latency.meanUs', meanUs, 'must be >= 0');
    if (!(Number.isFinite(sdUs) && sdUs >= 0)) throw invalid('latency.sdUs', sdUs, 'must be >= 0');
    if (!(Number.isFinite(minUs) && minUs >= 0)) throw invalid('latency.minUs', minUs, 'must be >= 0');
  }
  sample(): number {
    return Math.max(this.minUs, Math.round(this.random.normal(this.meanUs, this.sdUs)));
  }
}

/**
 * Log-normal given by its median and the sd of its log: network latency has a floor and a long right
 * tail, which a normal cannot show. median = exp(mu).
 */
export class LogNormalLatency implements LatencyModel {
  readonly name = 'log-normal';
  private readonly mu: number;
  constructor(
    private readonly random: Random,
    readonly medianUs: number,
    readonly sigma: number,
  ) {
    if (!(Number.isFinite(medianUs) && medianUs > 0))
      throw invalid('latency.medianUs', medianUs, 'must be > 0');
    if (!(Number.isFinite(sigma) && sigma >= 0)) throw invalid('latency.sigma', sigma, 'must be >= 0');
    this.mu = Math.log(medianUs);
  }
  sample(): number {
    return Math.round(this.random.logNormal(this.mu, this.sigma));
  }
}

/** Draws uniformly from measured latencies (e.g. order round trips logged by a live session). */
export class EmpiricalLatency implements LatencyModel {
  readonly name = 'empirical';
  private readonly samples: Float64Array;
  constructor(
    private readonly random: Random,
    samplesUs: ArrayLike<number>,
  ) {
    if (samplesUs.length === 0) throw invalid('latency.samples', 0, 'needs at least one measured latency');
    this.samples = new Float64Array(samplesUs.length);
    for (let i = 0; i < samplesUs.length; i++) {
      const v = samplesUs[i]!;
      if (!(Number.isFinite(v) && v >= 0))
        throw invalid(`latency.samples[${i}]`, v, 'must be a number of microseconds >= 0');
      this.samples[i] = Math.round(v);
    }
  }
  sample(): number {
    return this.samples[this.random.int(this.samples.length)]!;
  }
}

/** The three legs of one venue connection. */
export interface VenueLatency {
  /** Strategy → venue (new orders, cancels). */
  readonly entry: LatencyModel;
  /** Venue → strategy (acks, fills, cancel confirmations). */
  readonly response: LatencyModel;
  /** Venue → strategy for market data. */
  readonly marketData: LatencyModel;
}

export const ZERO_LATENCY: VenueLatency = {
  entry: new ConstantLatency(0),
  response: new ConstantLatency(0),
  marketData: new ConstantLatency(0),
};
