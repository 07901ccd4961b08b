import type { ChannelSkipReason } from './types.js';

/** Sent for every HTTP response (any status) or network failure of a request. */
export interface HarvestRequestEvent {
  type: 'request';
  method: 'GET';
  /** The route with ids replaced, such as `GET /channels/:id/messages`. */
  route: string;
  /** The request path and query (`/channels/…/messages?limit=100&before=…`); never the token. */
  path: string;
  /** The HTTP status; `null` when no response arrived (network error, timeout, abort). */
  status: number | null;
  /** From sending to the response headers (or the failure), in milliseconds. */
  durationMs: number;
  /** The channel or thread the request was for, if any. */
  channelId: string | null;
}

/** Sent for every HTTP 429 response. */
export interface HarvestRateLimitedEvent {
  type: 'rate-limited';
  route: string;
  path: string;
  /** How long Discord asked to wait (its `Retry-After` header), in milliseconds. */
  retryAfterMs: number;
  /** Whether it is the bot-wide (global) limit. */
  global: boolean;
  /** 429s in a row on this route, this one included. */
  consecutive: number;
  channelId: string | null;
}

/** Sent when discord.js holds a request back to stay within a known limit (no 429 involved). */
export interface HarvestRateLimitWaitEvent {
  type: 'rate-limit-wait';
  route: string;
  /** How long the request waits, in milliseconds. */
  waitMs: number;
  global: boolean;
  channelId: string | null;
}

/** Sent for each channel or thread not harvested (also yielded as a `channel-skipped` item). */
export interface HarvestChannelSkippedEvent {
  type: 'channel-skipped';
  channelId: string;
  name: string;
  reason: ChannelSkipReason;
  status?: number;
  discordCode?: number;
}

/** Sent once per run, when messages first show that the Message Content intent is off. */
export interface HarvestContentUnavailableEvent {
  type: 'content-unavailable';
  /** The channel whose page showed it. */
  channelId: string;
}

/** Sent when the member list is refused (no Server Members intent) and known users are looked up one by one. */
export interface HarvestMembersFallbackEvent {
  type: 'members-fallback';
  status: number;
  discordCode?: number;
  /** How many user ids will be looked up. */
  lookups: number;
}

/** Sent when every archived-thread list has been read (harvesting runs meanwhile). */
export interface HarvestDiscoveryEvent {
  type: 'discovery';
  /** Channels and threads listed (categories and forums included). */
  channels: number;
  /** Threads and forum posts among them. */
  threads: number;
  /** Channels and threads that will be harvested. */
  harvestable: number;
  /** Channels and threads skipped. */
  skipped: number;
  /** Requests discovery took (the first 5 and the archived-thread lists). */
  requests: number;
}

/** Sent when a thread is found through a parent message's `thread` field before any list had it. */
export interface HarvestThreadDiscoveredEvent {
  type: 'thread-discovered';
  threadId: string;
  parentId: string;
}

/** Every event `onEvent` receives; branch on `type`. */
export type HarvestEvent =
  | HarvestRequestEvent
  | HarvestRateLimitedEvent
  | HarvestRateLimitWaitEvent
  | HarvestChannelSkippedEvent
  | HarvestContentUnavailableEvent
  | HarvestMembersFallbackEvent
  | HarvestDiscoveryEvent
  | HarvestThreadDiscoveredEvent;
