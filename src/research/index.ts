// The research tools' public face: optimization and honest validation (docs/RESEARCH.md).
export { type BarWindow, indexAtOrAfter, shareBars, sliceBars } from './bar-window.js';
export { binomial, combinations, contiguousGroups } from './combinations.js';
export { type CpcvOptions, type CpcvResult, type DistributionSummary, cpcv, summarize } from './cpcv.js';
export {
  type DeflatedSharpe,
  type DeflatedSharpeInput,
  deflatedSharpe,
  expectedMaxSharpe,
  moments,
} from './deflated-sharpe.js';
export { type GeneticOptions, type GeneticResult, geneticSearch } from './genetic.js';
export {
  type LookaheadCut,
  type LookaheadOptions,
  type LookaheadReport,
  type OrderDecision,
  lookaheadCheck,
} from './lookahead.js';
export {
  type MetricName,
  type TrialMetrics,
  equityMetrics,
  maxDrawdownOf,
  periodReturns,
  sharpeOf,
} from './metrics.js';
export {
  type BootstrapOptions,
  type ConfidenceInterval,
  type MonteCarloOptions,
  type MonteCarloResult,
  type ReturnBootstrap,
  type TradeResampling,
  blockBootstrap,
  interval,
  monteCarlo,
  resampleTrades,
} from './monte-carlo.js';
export { normalCdf, normalQuantile } from '../risk/normal.js';
export { DEFAULT_OBJECTIVES, type Metrics, type Objective, type Trial, orient } from './objectives.js';
export {
  type OptimizeOptions,
  type OptimizeResult,
  type SearchMethod,
  optimize,
  searchWith,
} from './optimize.js';
export { type PboResult, probabilityOfOverfitting } from './overfitting.js';
export {
  type Constraint,
  type Dimension,
  type ParamSpaceOptions,
  type ParamValue,
  type Params,
  ParamSpace,
  lessThan,
  paramKey,
} from './param-space.js';
export { crowdingDistance, dominates, nonDominatedSort, paretoFront } from './pareto.js';
export { type PurgedSplit, type PurgedSplitOptions, cpcvPaths, purgedSplits } from './purged-splits.js';
export {
  DEFAULT_QUARANTINE_DAYS,
  type Quarantine,
  type QuarantineOptions,
  assertBeforeQuarantine,
  quarantineOf,
} from './quarantine.js';
export { type RandomWalkOptions, dailyRandomWalk } from './random-walk.js';
export { type TrialRunner, functionRunner, localRunner } from './runner.js';
export {
  type RandomSearchOptions,
  type SearchOptions,
  type SearchResult,
  gridSearch,
  randomSearch,
} from './search.js';
export { type SensitivityOptions, type SensitivityProfile, parameterSensitivity } from './sensitivity.js';
export {
  type StressOptions,
  type StressScenario,
  insertGaps,
  scaleVolatility,
  stressTest,
} from './stress.js';
export { type BacktestSpec, type TrialConfig, type TrialRun, runTrial } from './trial.js';
export {
  type ParamStability,
  type WalkForwardOptions,
  type WalkForwardResult,
  type WalkForwardWindow,
  stabilityOf,
  stitch,
  walkForward,
  walkForwardWindows,
} from './walk-forward.js';
export { WorkerPool, type WorkerPoolOptions } from './parallel/worker-pool.js';
