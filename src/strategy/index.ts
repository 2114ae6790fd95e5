export * from './strategy.js';
export * from './context.js';
export * from './signal.js';
export * from './aggregation.js';
export * from './attribution.js';
export * from './manager.js';
