export * from './strategy.js';
export * from './context.js';
