export * from './indicator.js';
export * from './sma.js';
