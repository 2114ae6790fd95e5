export * from './risk-engine.js';
