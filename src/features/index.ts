export * from './book-imbalance.js';
export * from './trade-flow.js';
export * from './realized-vol.js';
export * from './kyle-lambda.js';
export * from './vpin.js';
export * from './book-features.js';
export * from './arbitrage.js';
export * from './queue-position.js';
