export * from './ladder.js';
export * from './order-book.js';
