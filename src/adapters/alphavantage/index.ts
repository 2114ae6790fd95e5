export { AlphaVantageProvider, type AlphaVantageOptions } from './alphavantage-provider.js';
