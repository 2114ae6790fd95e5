export * from './clock.js';
export * from './bus.js';
export * from './topics.js';
export * from './random.js';
export * from './ids.js';
export * from './logger.js';
