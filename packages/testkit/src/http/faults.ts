/** Fault injection, shared by the fake WOM and Discord servers. */

/** Which requests a fault applies to. */
export interface FaultMatch {
  /**
   * The request path, with or without the API prefix (`/v2` for WOM, `/api/v10` for Discord) and
   * without the query string (e.g. `'/groups/42/hiscores'`, `'/channels/1234/messages'`), or a
   * RegExp tested against both forms. Omitted: every path.
   */
  path?: string | RegExp;
  /** The HTTP method (`'GET'`, `'POST'`, …). Omitted: every method. */
  method?: string;
  /**
   * How many matching requests the fault hits before it expires. `Infinity` never expires.
   * @defaultValue `1` (`'rate-limit-storm'` requires it)
   */
  times?: number;
  /**
   * Matching requests to let through untouched before the fault starts hitting.
   * @defaultValue `0`
   */
  skip?: number;
}

/**
 * Answer with an arbitrary status (default bodies: the API's JSON error for most statuses, a proxy
 * HTML page for 502/504).
 */
export interface StatusFault extends FaultMatch {
  kind: 'status';
  status: number;
  /** The body to send instead of the default one. */
  body?: string;
  /** Extra response headers. */
  headers?: Record<string, string>;
}

/** Wait before handling the request normally (use a long delay to trigger client timeouts). */
export interface DelayFault extends FaultMatch {
  kind: 'delay';
  /** Milliseconds to wait. */
  ms: number;
}

/** Handle the request normally but cut the JSON body in half (status and Content-Length stay consistent). */
export interface TruncatedJsonFault extends FaultMatch {
  kind: 'truncated-json';
}

/** A reverse proxy's HTML error page instead of JSON. */
export interface HtmlFault extends FaultMatch {
  kind: 'html';
  /**
   * The status of the HTML page (`200` simulates a captive portal or misconfigured proxy).
   * @defaultValue `502`
   */
  status?: number;
}

/** Destroy the socket without answering (the client sees a connection reset / "socket hang up"). */
export interface ResetFault extends FaultMatch {
  kind: 'reset';
}

/**
 * 429s with `Retry-After` and the rate-limit headers, as if the limit were exhausted, for `times`
 * requests.
 */
export interface RateLimitStormFault extends FaultMatch {
  kind: 'rate-limit-storm';
  times: number;
  /**
   * The `Retry-After` / `RateLimit-Reset` (WOM) or `Retry-After` / `X-RateLimit-Reset-After`
   * (Discord) value, in seconds.
   * @defaultValue `1`
   */
  retryAfterSeconds?: number;
  /**
   * Discord only: the `X-RateLimit-Scope` of the 429s. `'global'` also sends
   * `X-RateLimit-Global: true` and `"global": true` in the body.
   * @defaultValue `'user'`
   */
  scope?: 'user' | 'global' | 'shared';
}

/** Any fault a fake server's `injectFault` accepts. */
export type FaultSpec =
  StatusFault | DelayFault | TruncatedJsonFault | HtmlFault | ResetFault | RateLimitStormFault;

/** The kind of a {@link FaultSpec}. */
export type FaultKind = FaultSpec['kind'];

/** A fault that has been injected; its counters update as requests hit it. */
export interface InjectedFault {
  readonly id: number;
  readonly spec: Readonly<FaultSpec>;
  /** Requests it has hit so far. */
  readonly hits: number;
  /** Hits left before it expires. */
  readonly remaining: number;
  /** Stops it early. */
  cancel(): void;
}

interface FaultEntry {
  id: number;
  spec: FaultSpec;
  hits: number;
  skipped: number;
  remaining: number;
}

/** Holds injected faults and picks the one (oldest first) a request triggers. */
export class FaultQueue {
  #entries: FaultEntry[] = [];
  #nextId = 1;

  /** Adds a fault. */
  add(spec: FaultSpec): InjectedFault {
    const times = spec.times ?? 1;
    if (!(times > 0)) throw new RangeError('injectFault: times must be > 0');
    const entry: FaultEntry = {
      id: this.#nextId++,
      spec: { ...spec },
      hits: 0,
      skipped: 0,
      remaining: times,
    };
    this.#entries.push(entry);
    const remove = (): void => {
      this.#entries = this.#entries.filter((candidate) => candidate !== entry);
    };
    return {
      id: entry.id,
      spec: entry.spec,
      get hits() {
        return entry.hits;
      },
      get remaining() {
        return entry.remaining;
      },
      cancel: () => {
        entry.remaining = 0;
        remove();
      },
    };
  }

  /** The faults still active. */
  get active(): ReadonlyArray<Readonly<FaultSpec>> {
    return this.#entries.map((entry) => entry.spec);
  }

  /** Removes every fault. */
  clear(): void {
    this.#entries = [];
  }

  /** Finds and consumes the fault for a request, if any. */
  take(method: string, fullPath: string, routePath: string): FaultSpec | null {
    for (const entry of this.#entries) {
      const { spec } = entry;
      if (spec.method !== undefined && spec.method.toUpperCase() !== method) continue;
      if (spec.path !== undefined) {
        const matches =
          typeof spec.path === 'string'
            ? spec.path === fullPath || spec.path === routePath
            : spec.path.test(fullPath) || spec.path.test(routePath);
        if (!matches) continue;
      }
      if (entry.skipped < (spec.skip ?? 0)) {
        entry.skipped++;
        continue;
      }
      entry.hits++;
      entry.remaining--;
      if (entry.remaining <= 0)
        this.#entries = this.#entries.filter((candidate) => candidate !== entry);
      return spec;
    }
    return null;
  }
}

/** A Cloudflare-style HTML error page for `host`. */
export function proxyErrorPage(status: number, host = 'api.wiseoldman.net'): string {
  const title =
    status === 504 ? 'Gateway time-out' : status === 200 ? 'Please wait…' : 'Bad gateway';
  return `<!DOCTYPE html>
<html lang="en-US">
<head><title>${host} | ${status} ${title}</title></head>
<body>
<div id="cf-error-details">
<h1>${title}</h1>
<span>Error code ${status}</span>
<p>The web server reported a ${title.toLowerCase()} error.</p>
</div>
</body>
</html>
`;
}
