export { Transport } from './transport.js';
export type { TransportRequestInit, TransportTextRequestInit } from './transport.js';
export {
  DefaultRetryOptions,
  DefaultWomClientOptions,
  DEFAULT_POINTS_WITH_API_KEY,
  DEFAULT_POINTS_WITHOUT_API_KEY,
} from './options.js';
export type { RateLimitOptions, RetryOptions, WomClientOptions } from './options.js';
export type {
  RateLimitInfo,
  WomClientEvent,
  WomRateLimitedEvent,
  WomRateLimitWaitEvent,
  WomRequestEvent,
  WomResponseEvent,
  WomRetryEvent,
} from './events.js';
export type { SearchParams, SearchParamValue } from './http.js';
export {
  WomClientError,
  isWomClientError,
  WOM_CLIENT_ERROR_CODES,
  WOM_SERVER_ERROR_CODES,
} from '../errors.js';
export type {
  HttpMethod,
  WomClientErrorCode,
  WomClientErrorDetails,
  WomErrorCode,
  WomServerErrorCode,
} from '../errors.js';
