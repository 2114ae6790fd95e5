export { YahooProvider, type YahooProviderOptions, type YahooChart } from './yahoo-provider.js';
