export { CcxtProvider, CCXT_VENUES, type CcxtProviderOptions, type CcxtVenue } from './ccxt-provider.js';
