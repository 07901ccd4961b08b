/** The HTTP plumbing shared by the fake servers: listening, routing, replies and faults. */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { TestkitError } from '../errors.js';
import type { FaultSpec, RateLimitStormFault } from './faults.js';

/** A server listening on `127.0.0.1` and a random free port. */
export interface LocalHttpServer {
  readonly port: number;
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  /** True once {@link LocalHttpServer.close} has been called. */
  readonly closed: boolean;
  /**
   * Waits `ms` milliseconds, or less when the client goes away or the server closes. Resolves to
   * true when the response can still be sent.
   */
  sleep(ms: number, response: ServerResponse): Promise<boolean>;
  /** Stops listening and destroys open connections; the port is free when it resolves. */
  close(): Promise<void>;
}

/**
 * Starts an HTTP server on `127.0.0.1` and a random free port. `handle` runs for every request;
 * when it throws, `onError` answers (if the response is still open).
 */
export async function listenLocal(
  name: string,
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
  onError: (error: unknown, response: ServerResponse) => void,
): Promise<LocalHttpServer> {
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  let closed = false;
  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent && !response.destroyed) onError(error, response);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => {
      reject(
        new TestkitError('LISTEN_FAILED', `${name}: could not listen: ${error.message}`, {
          cause: error,
        }),
      );
    });
    server.listen(0, '127.0.0.1', () => {
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    get closed() {
      return closed;
    },
    sleep: (ms, response) =>
      new Promise<boolean>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          timers.delete(timer);
          resolve(!response.destroyed && !closed);
        };
        const timer = setTimeout(done, ms);
        timers.add(timer);
        response.once('close', done);
      }),
    close: async () => {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      });
    },
  };
}

/** The parts of a request line and its headers the fakes look at. */
export interface RequestTarget {
  /** Upper-cased. */
  readonly method: string;
  /** The raw path and query as received. */
  readonly url: string;
  /** The raw (still URL-encoded) path without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Request headers, names lowercased (repeated headers joined with `, `). */
  readonly headers: Record<string, string>;
}

/** Splits a request into method, path, query and lowercased headers. */
export function readRequestTarget(request: IncomingMessage): RequestTarget {
  const url = request.url ?? '/';
  const queryAt = url.indexOf('?');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined)
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: (request.method ?? 'GET').toUpperCase(),
    url,
    path: queryAt === -1 ? url : url.slice(0, queryAt),
    query: new URLSearchParams(queryAt === -1 ? '' : url.slice(queryAt + 1)),
    headers,
  };
}

/** A route's method and path pattern (`/groups/:id/hiscores`). */
export interface RoutePattern {
  readonly method: string;
  readonly pattern: string;
}

/** Routes compiled to regular expressions, matched in order. */
export class RouteTable<RouteType extends RoutePattern> {
  readonly #compiled: Array<{ route: RouteType; regex: RegExp; names: string[] }>;

  constructor(routes: readonly RouteType[]) {
    this.#compiled = routes.map((route) => {
      const names: string[] = [];
      const source = route.pattern
        .split('/')
        .map((part) => {
          if (part.startsWith(':')) {
            names.push(part.slice(1));
            return '([^/]+)';
          }
          return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        })
        .join('/');
      return { route, regex: new RegExp(`^${source}/?$`, 'i'), names };
    });
  }

  /** The first route matching `method` and `path`, with its raw (still encoded) parameters. */
  match(method: string, path: string): { route: RouteType; params: Record<string, string> } | null {
    for (const compiled of this.#compiled) {
      if (compiled.route.method !== method) continue;
      const found = compiled.regex.exec(path);
      if (found === null) continue;
      const params: Record<string, string> = {};
      compiled.names.forEach((name, index) => {
        params[name] = found[index + 1] ?? '';
      });
      return { route: compiled.route, params };
    }
    return null;
  }

  /** True when some route matches `path` with another method. */
  matchesPath(path: string): boolean {
    return this.#compiled.some((compiled) => compiled.regex.test(path));
  }
}

/** The counters every fake server keeps (each adds its own). */
export interface RequestCounters {
  /** Requests received. */
  requests: number;
  /** 429s sent. */
  rateLimited: number;
  /** Requests hit by a fault. */
  faults: number;
  /** Requests per matched route. */
  byRoute: Record<string, number>;
  /** Responses per status. */
  byStatus: Record<string, number>;
}

/**
 * A stats object starting at `initial()`, whose `reset()` restores `initial()` and empties the
 * request log.
 */
export function createStats<StatsType extends RequestCounters & { reset(): void }>(
  initial: () => Omit<StatsType, 'reset'>,
  requests: unknown[],
): StatsType {
  const stats = {
    ...initial(),
    reset() {
      Object.assign(stats, initial());
      requests.length = 0;
    },
  } as StatsType;
  return stats;
}

/** Counts a received request under its route (null when none matched). */
export function countRequest(stats: RequestCounters, route: string | null, faulted: boolean): void {
  stats.requests++;
  if (route !== null) stats.byRoute[route] = (stats.byRoute[route] ?? 0) + 1;
  if (faulted) stats.faults++;
}

/** Sends a whole response: status, body, content type and extra headers. */
export type Send = (
  status: number,
  payload: string,
  type: string | null,
  headers?: Record<string, string>,
) => void;

/**
 * A {@link Send} that records the status in the request's log entry and in `stats.byStatus`,
 * then writes the response with `baseHeaders` under the given ones.
 */
export function recordingSend(
  response: ServerResponse,
  entry: { status: number | null },
  stats: RequestCounters,
  baseHeaders: Record<string, string> = {},
): Send {
  return (status, payload, type, headers = {}) => {
    entry.status = status;
    stats.byStatus[String(status)] = (stats.byStatus[String(status)] ?? 0) + 1;
    writeResponse(response, status, payload, type, { ...baseHeaders, ...headers });
  };
}

/** Writes a complete response (status, headers with `Content-Length`, body); ignores closed responses. */
export function writeResponse(
  response: ServerResponse,
  status: number,
  payload: string,
  type: string | null,
  headers: Record<string, string>,
): void {
  if (response.destroyed || response.headersSent) return;
  const outgoing: Record<string, string> = { ...headers };
  if (type !== null) outgoing['Content-Type'] = type;
  outgoing['Content-Length'] = String(Buffer.byteLength(payload));
  response.writeHead(status, outgoing);
  response.end(payload);
}

/** What {@link applyFault} needs from a fake server. */
export interface FaultResponder {
  /** The `Content-Type` of a custom `status` fault body. */
  readonly jsonType: string;
  /** Sends a whole response. */
  send(
    status: number,
    payload: string,
    type: string | null,
    headers?: Record<string, string>,
  ): void;
  /** The server's default body for a `status` fault without one. */
  defaultBody(status: number): { body: string; type: string };
  /** The proxy HTML page for an `html` fault. */
  htmlPage(status: number): string;
  /** Answers a `rate-limit-storm` hit (a 429 with the server's rate-limit headers). */
  storm(fault: RateLimitStormFault): void;
  /** Waits for a `delay` fault; resolves to false when the response can no longer be sent. */
  sleep(ms: number): Promise<boolean>;
  /** Destroys the socket without answering. */
  destroy(): void;
}

/**
 * Applies an injected fault before normal handling. Resolves to true when the request has been
 * answered (or dropped) by the fault; false when it must be handled normally (after a `delay`, and
 * for `truncated-json`, which the caller applies to the normal body).
 */
export async function applyFault(fault: FaultSpec, responder: FaultResponder): Promise<boolean> {
  switch (fault.kind) {
    case 'reset':
      responder.destroy();
      return true;
    case 'status': {
      const fallback = responder.defaultBody(fault.status);
      responder.send(
        fault.status,
        fault.body ?? fallback.body,
        fault.body === undefined ? fallback.type : responder.jsonType,
        fault.headers,
      );
      return true;
    }
    case 'html': {
      const status = fault.status ?? 502;
      responder.send(status, responder.htmlPage(status), 'text/html; charset=UTF-8');
      return true;
    }
    case 'rate-limit-storm':
      responder.storm(fault);
      return true;
    case 'delay':
      return !(await responder.sleep(fault.ms));
    case 'truncated-json':
      return false;
  }
}

/** Cuts a body in half, as a `truncated-json` fault does. */
export function truncateBody(payload: string): string {
  return payload.slice(0, Math.floor(payload.length / 2));
}
