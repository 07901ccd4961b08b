import type { WomState } from './state.js';
import type { Json } from './format.js';

/** What a route handler gets. */
export interface RouteContext {
  readonly state: WomState;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: unknown;
  /** The server clock, in epoch milliseconds. */
  readonly now: number;
  readonly legacy: boolean;
  readonly playerUpdateCooldownMs: number;
  /** Standardized usernames the fake hiscores do not know. */
  readonly hiscoresNotFound: ReadonlySet<string>;
}

/** What a route handler returns. */
export type RouteReply =
  | { readonly status: number; readonly json: Json; readonly headers?: Record<string, string> }
  | { readonly status: number; readonly text: string; readonly contentType?: string };

/** A route: method, path pattern (under `/v2`), handler. */
export interface Route {
  readonly method: 'GET' | 'POST';
  readonly pattern: string;
  readonly handler: (context: RouteContext) => RouteReply;
}

/** Slices a list with `{limit, offset}`. */
export function paginate<Item>(
  items: readonly Item[],
  page: { limit: number; offset: number },
): Item[] {
  return items.slice(page.offset, page.offset + page.limit);
}
