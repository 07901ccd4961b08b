import { GroupsClient } from './groups.js';
import { NameChangesClient } from './name-changes.js';
import { PlayersClient } from './players.js';
import { Transport, type WomClientOptions } from './transport/index.js';
import type { WireDate } from './types/common.js';

/**
 * A Wise Old Man API client. Make one per API key and share it: every request goes through one
 * rate-limit scheduler, so concurrent calls are paced instead of rejected.
 *
 * `Dates` is the type of every date in a response: `Date` by default, `string` for a client made
 * with `parseDates: false` (see {@link WireDate}).
 *
 * @example
 * ```ts
 * const wom = new WomClient({ userAgent: 'my-clan-bot (discord: me)' });
 * const group = await wom.groups.getDetails(11114);
 * const weekly = await wom.groups.getGains(11114, { metric: 'overall', period: 'week' });
 * ```
 */
export interface WomClient<Dates extends WireDate = Date> {
  /** The group endpoints. */
  readonly groups: GroupsClient<Dates>;
  /** The player endpoints. */
  readonly players: PlayersClient<Dates>;
  /** Name-change search and submission. */
  readonly nameChanges: NameChangesClient<Dates>;
  /**
   * How many HTTP requests this client has sent so far, retries included (requests answered
   * from nothing, such as calls rejected before sending, are not counted).
   */
  readonly requestCount: number;
}

/**
 * The type of the {@link WomClient} constructor. The options' `parseDates` picks the date type:
 * `new WomClient()` is a `WomClient<Date>`, `new WomClient({ parseDates: false })` a
 * `WomClient<string>`, and a `parseDates` only known at runtime gives `WomClient<Date | string>`.
 */
export interface WomClientConstructor {
  /** A client that returns dates as ISO-8601 strings, exactly as sent. */
  new (options: WomClientOptions & { parseDates: false }): WomClient<string>;
  /** A client that returns dates as `Date` objects (the default). */
  new (options?: WomClientOptions & { parseDates?: true | undefined }): WomClient;
  /** A client whose `parseDates` is only known at runtime. */
  new (options?: WomClientOptions): WomClient<WireDate>;
  readonly prototype: WomClient<WireDate>;
}

/**
 * Creates a Wise Old Man API client; see {@link WomClientOptions} for every option and its
 * default. Creating one sends nothing.
 */
export const WomClient: WomClientConstructor = class WomClient<Dates extends WireDate = Date> {
  readonly groups: GroupsClient<Dates>;
  readonly players: PlayersClient<Dates>;
  readonly nameChanges: NameChangesClient<Dates>;
  readonly #transport: Transport;

  constructor(options: WomClientOptions = {}) {
    this.#transport = new Transport(options);
    this.groups = new GroupsClient(this.#transport);
    this.players = new PlayersClient(this.#transport);
    this.nameChanges = new NameChangesClient(this.#transport);
  }

  get requestCount(): number {
    return this.#transport.requestCount;
  }
};
