import type { NameChangeStatus } from './enums.js';
import { MAX_PAGE_SIZE, getInit, pageParams, paginate } from './internal.js';
import type { Transport } from './transport/index.js';
import { checkNameChange, checkNameChanges } from './validate.js';
import type { CallOptions, IterateOptions, PageOptions, WireDate } from './types/common.js';
import type { NameChange } from './types/player.js';

/** What {@link NameChangesClient.search} matches; with neither field it lists all changes. */
export interface NameChangeFilter {
  /** Matches old or new names starting with this text, ignoring case. */
  username?: string | undefined;
  /** Only changes in this state. */
  status?: NameChangeStatus | undefined;
}

/** The name-change endpoints, as `wom.nameChanges`. */
export class NameChangesClient<Dates extends WireDate = Date> {
  readonly #transport: Transport;

  /** @internal Made by {@link WomClient}; not meant to be constructed directly. */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * One page of name changes, newest first (default 20, at most 50), optionally filtered by a
   * name prefix and a status. `GET /names`.
   * @example `await wom.nameChanges.search({ username: 'zez', status: 'approved' })`
   */
  async search(
    filter?: NameChangeFilter,
    options?: PageOptions,
  ): Promise<Array<NameChange<Dates>>> {
    const query = { username: filter?.username, status: filter?.status, ...pageParams(options) };
    return this.#transport.request('GET', '/names', {
      ...getInit(options, query),
      check: checkNameChanges,
    });
  }

  /** Every name change matching the filter, newest first, loading pages as you iterate. */
  iterateSearch(
    filter?: NameChangeFilter,
    options?: IterateOptions,
  ): AsyncGenerator<NameChange<Dates>, void, undefined> {
    return paginate((page) => this.search(filter, page), options, MAX_PAGE_SIZE);
  }

  /**
   * Submits a name change for review; it starts `pending`. The old name must be tracked. The
   * server answers 400 for untracked names and for a duplicate of a pending change.
   * `POST /names`.
   */
  async submit(
    oldName: string,
    newName: string,
    options?: CallOptions,
  ): Promise<NameChange<Dates>> {
    for (const [label, name] of [
      ['oldName', oldName],
      ['newName', newName],
    ] as const) {
      if (typeof name !== 'string' || name.trim() === '') {
        throw new TypeError(`Invalid ${label} ${JSON.stringify(name)}: expected a non-blank name.`);
      }
    }
    return this.#transport.request('POST', '/names', {
      ...getInit(options),
      json: { oldName, newName },
      check: checkNameChange,
    });
  }
}
