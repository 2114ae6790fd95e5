export * from './strategy.js';
export * from './context.js';
export * from './signal.js';
