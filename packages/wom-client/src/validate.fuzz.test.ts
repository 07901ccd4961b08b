/**
 * Property tests of the response checks, through the real client (ky, JSON parsing, date revival)
 * with an injected `fetch` that answers the generated body. The shapes below restate the Wise Old
 * Man v2 wire format (wom-api.md) declaratively; they drive both the generators and a reference
 * checker that lists every value a mutated body gets wrong, independently of the client's order of
 * checks.
 *
 * A fixed seed and few runs by default (fast in CI); `CLANSTATS_FUZZ_RUNS=20000` (`pnpm fuzz`)
 * runs longer, and `CLANSTATS_FUZZ_SEED` picks another seed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTIVITIES,
  BOSSES,
  COMPUTED_METRICS,
  SKILLS,
  WomClient,
  isWomClientError,
  type WomClient as WomClientType,
  type WireDate,
} from './index.js';

const RUNS = Number(process.env.CLANSTATS_FUZZ_RUNS ?? '') || 60;
const SEED = Number(process.env.CLANSTATS_FUZZ_SEED ?? '') || 20_261_125;
const LONG = RUNS > 1000;

// --- Shapes ----------------------------------------------------------------------------------

type Spec =
  | { kind: 'int' | 'number' | 'string' | 'boolean' | 'date' | 'anyObject' | 'anyArray' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'nullable'; of: Spec }
  | { kind: 'optional'; of: Spec }
  | { kind: 'object'; fields: Record<string, Spec>; rest?: Spec }
  | { kind: 'array'; items: Spec; maxLength: number }
  /** A map by metric name: some of `keys`, and perhaps a metric this version does not know. */
  | { kind: 'metrics'; keys: readonly string[]; value: Spec }
  /** An object whose `tag` field picks its fields. */
  | { kind: 'tagged'; tag: string; variants: Record<string, Record<string, Spec>> };

const int: Spec = { kind: 'int' };
const num: Spec = { kind: 'number' };
const str: Spec = { kind: 'string' };
const bool: Spec = { kind: 'boolean' };
const date: Spec = { kind: 'date' };
const nullable = (of: Spec): Spec => ({ kind: 'nullable', of });
const optional = (of: Spec): Spec => ({ kind: 'optional', of });
const object = (fields: Record<string, Spec>, rest?: Spec): Spec =>
  rest === undefined ? { kind: 'object', fields } : { kind: 'object', fields, rest };
const array = (items: Spec, maxLength = 3): Spec => ({ kind: 'array', items, maxLength });
const oneOf = (...values: string[]): Spec => ({ kind: 'enum', values });

const player = object({
  id: int,
  username: str,
  displayName: str,
  type: str,
  build: str,
  status: str,
  country: optional(nullable(str)),
  patron: optional(bool),
  exp: num,
  ehp: num,
  ehb: num,
  ttm: num,
  tt200m: num,
  registeredAt: date,
  updatedAt: nullable(date),
  lastChangedAt: nullable(date),
  lastImportedAt: optional(nullable(date)),
});

const groupDetails = object({
  id: int,
  name: str,
  clanChat: optional(nullable(str)),
  description: optional(nullable(str)),
  homeworld: optional(nullable(num)),
  verified: optional(bool),
  patron: optional(bool),
  visible: optional(bool),
  profileImage: optional(nullable(str)),
  bannerImage: optional(nullable(str)),
  score: optional(nullable(num)),
  createdAt: date,
  updatedAt: date,
  memberCount: num,
  socialLinks: optional(nullable({ kind: 'anyObject' })),
  roleOrders: optional({ kind: 'anyArray' }),
  memberships: array(
    object({
      playerId: int,
      groupId: int,
      role: str,
      clientSyncJoinedAt: optional(nullable(date)),
      createdAt: date,
      updatedAt: date,
      player,
    }),
  ),
});

const metrics = (keys: readonly string[], value: Spec): Spec => ({ kind: 'metrics', keys, value });
const snapshot = object({
  playerId: int,
  createdAt: date,
  importedAt: optional(nullable(date)),
  data: object(
    {
      skills: metrics(
        SKILLS,
        object({
          metric: optional(str),
          experience: num,
          rank: num,
          level: num,
          ehp: optional(nullable(num)),
        }),
      ),
      bosses: metrics(
        BOSSES,
        object({ metric: optional(str), kills: num, rank: num, ehb: optional(nullable(num)) }),
      ),
      activities: metrics(ACTIVITIES, object({ metric: optional(str), score: num, rank: num })),
      computed: metrics(COMPUTED_METRICS, object({ metric: optional(str), value: num, rank: num })),
    },
    // A category this version does not know: a map of objects.
    metrics([], { kind: 'anyObject' }),
  ),
});

const delta = { gained: num, start: num, end: num };

const hiscoresData: Spec = {
  kind: 'tagged',
  tag: 'type',
  variants: {
    skill: { rank: num, level: num, experience: num },
    boss: { rank: num, kills: num },
    activity: { rank: num, score: num },
    computed: { rank: num, value: num },
  },
};

const nameChangeFields = {
  id: int,
  playerId: int,
  oldName: str,
  newName: str,
  status: oneOf('pending', 'approved', 'denied'),
  reviewContext: optional(nullable({ kind: 'anyObject' })),
  resolvedAt: nullable(date),
  createdAt: date,
  updatedAt: date,
};

interface Endpoint {
  name: string;
  spec: Spec;
  call: (client: WomClientType<WireDate>) => Promise<unknown>;
}

const ENDPOINTS: Endpoint[] = [
  { name: 'GET /groups/:id', spec: groupDetails, call: (wom) => wom.groups.getDetails(1) },
  {
    name: 'GET /groups/:id/bulk-hiscores',
    spec: array(object({ player, data: snapshot })),
    call: (wom) => wom.groups.getBulkHiscores(1),
  },
  {
    name: 'GET /groups/:id/bulk-gained',
    spec: array(
      object({
        player,
        startDate: date,
        endDate: date,
        data: array(object({ metric: str, ...delta }), 6),
      }),
    ),
    call: (wom) => wom.groups.getBulkGains(1, { period: 'week' }),
  },
  {
    name: 'GET /groups/:id/hiscores',
    spec: array(object({ player, data: hiscoresData })),
    call: (wom) => wom.groups.getHiscores(1, 'attack'),
  },
  {
    name: 'GET /groups/:id/gained',
    spec: array(object({ player, startDate: date, endDate: date, data: object(delta) })),
    call: (wom) => wom.groups.getGains(1, { metric: 'attack', period: 'week' }),
  },
  {
    name: 'GET /groups/:id/activity',
    spec: array(
      object({
        groupId: int,
        playerId: int,
        type: oneOf('joined', 'left', 'changed_role'),
        role: nullable(str),
        previousRole: optional(nullable(str)),
        createdAt: date,
        player: nullable(player),
      }),
    ),
    call: (wom) => wom.groups.getActivity(1),
  },
  {
    name: 'GET /groups/:id/name-changes',
    spec: array(object({ ...nameChangeFields, player: nullable(player) })),
    call: (wom) => wom.groups.getNameChanges(1),
  },
  {
    name: 'GET /names',
    spec: array(object(nameChangeFields)),
    call: (wom) => wom.nameChanges.search(),
  },
  {
    name: 'POST /groups/:id/update-all',
    spec: object({ count: num, message: optional(nullable(str)) }),
    call: (wom) => wom.groups.updateAll(1, '123-456-789'),
  },
];

// --- Generators ------------------------------------------------------------------------------

const MIN_DATE = new Date('2013-01-01T00:00:00.000Z');
const MAX_DATE = new Date('2099-12-31T23:59:59.999Z');
const UNKNOWN_METRIC = 'metric_from_the_future';
const finite = fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => value + 0);

function arbitrary(spec: Spec): fc.Arbitrary<unknown> {
  switch (spec.kind) {
    case 'int':
      return fc.integer({ min: -1, max: 2 ** 40 });
    case 'number':
      return fc.oneof(fc.integer({ min: -1, max: 200_000_000 }), finite);
    case 'string':
      return fc.string({ maxLength: 12 });
    case 'boolean':
      return fc.boolean();
    case 'date':
      return fc.date({ min: MIN_DATE, max: MAX_DATE, noInvalidDate: true });
    case 'anyObject':
      return fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), {
        maxKeys: 3,
      });
    case 'anyArray':
      return fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 });
    case 'enum':
      return fc.constantFrom(...spec.values);
    case 'nullable':
      return fc.option(arbitrary(spec.of), { nil: null });
    case 'optional':
      return fc.option(arbitrary(spec.of), { nil: undefined });
    case 'object': {
      const fields = fc.record(
        Object.fromEntries(
          Object.entries(spec.fields).map(([key, field]) => [key, arbitrary(field)]),
        ),
      );
      // Fields left `undefined` by an optional are dropped (JSON has no `undefined`).
      const extra =
        spec.rest === undefined
          ? fc.constant({})
          : fc.dictionary(fc.constantFrom('future_category'), arbitrary(spec.rest), {
              maxKeys: 1,
            });
      return fc.tuple(fields, extra).map(([known, more]) => dropUndefined({ ...known, ...more }));
    }
    case 'array':
      return fc.array(arbitrary(spec.items), { maxLength: spec.maxLength });
    case 'metrics': {
      const names = [...spec.keys, UNKNOWN_METRIC];
      return fc
        .tuple(
          fc.subarray(names, { maxLength: Math.min(5, names.length) }),
          fc.array(arbitrary(spec.value), { minLength: 5, maxLength: 5 }),
        )
        .map(([keys, values]) => {
          const result: Record<string, unknown> = {};
          keys.forEach((key, index) => {
            const value = values[index];
            result[key] =
              typeof value === 'object' && value !== null && 'metric' in value
                ? { ...value, metric: key }
                : value;
          });
          return result;
        });
    }
    case 'tagged':
      return fc.oneof(
        ...Object.entries(spec.variants).map(([tag, fields]) =>
          arbitrary(object(fields)).map((value) => ({ [spec.tag]: tag, ...(value as object) })),
        ),
      );
  }
}

function dropUndefined(value: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(value))
    if (value[key] === undefined) Reflect.deleteProperty(value, key);
  return value;
}

// --- Reference checker -----------------------------------------------------------------------

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const isIsoDate = (value: unknown): boolean =>
  typeof value === 'string' && ISO_DATE.test(value) && !Number.isNaN(Date.parse(value));
/** Whether the client turns this string into a `Date` (the reviver's exact rule). */
const revives = (value: unknown, dates: boolean): boolean =>
  dates && typeof value === 'string' && ISO_DATE.test(value);

type Path = Array<string | number>;

function format(path: Path): string {
  let result = '';
  for (const step of path) {
    if (typeof step === 'number') result += `[${step}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(step)) result += result === '' ? step : `.${step}`;
    else result += `[${JSON.stringify(step)}]`;
  }
  return result;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every path at which the wire value `value` breaks `spec` (empty when it is valid). */
function violations(spec: Spec, value: unknown, dates: boolean, path: Path = []): string[] {
  const here = [format(path)];
  switch (spec.kind) {
    case 'int':
      return Number.isSafeInteger(value) ? [] : here;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? [] : here;
    case 'string':
      return typeof value === 'string' && !revives(value, dates) ? [] : here;
    case 'boolean':
      return typeof value === 'boolean' ? [] : here;
    case 'date':
      return (dates ? isIsoDate(value) : typeof value === 'string' && value !== '') ? [] : here;
    case 'enum':
      return typeof value === 'string' && spec.values.includes(value) ? [] : here;
    case 'anyObject':
      return isPlainObject(value) && !revives(value, dates) ? [] : here;
    case 'anyArray':
      return Array.isArray(value) ? [] : here;
    case 'nullable':
      return value === null ? [] : violations(spec.of, value, dates, path);
    case 'optional':
      return value === undefined ? [] : violations(spec.of, value, dates, path);
    case 'object': {
      if (!isPlainObject(value)) return here;
      const found = Object.entries(spec.fields).flatMap(([key, field]) =>
        violations(field, value[key], dates, [...path, key]),
      );
      const { rest } = spec;
      if (rest !== undefined)
        for (const key of Object.keys(value))
          if (!(key in spec.fields))
            found.push(...violations(rest, value[key], dates, [...path, key]));
      return found;
    }
    case 'array':
      return Array.isArray(value)
        ? value.flatMap((item, index) => violations(spec.items, item, dates, [...path, index]))
        : here;
    case 'metrics':
      return isPlainObject(value)
        ? Object.entries(value).flatMap(([key, item]) =>
            violations(spec.value, item, dates, [...path, key]),
          )
        : here;
    case 'tagged': {
      if (!isPlainObject(value)) return here;
      const tag = value[spec.tag];
      const fields = typeof tag === 'string' ? spec.variants[tag] : undefined;
      if (fields === undefined) return [format([...path, spec.tag])];
      return violations(object(fields), value, dates, path);
    }
  }
}

// --- Mutations -------------------------------------------------------------------------------

/** Every node of a JSON value with its path (the root included). */
function nodes(value: unknown, path: Path = []): Array<{ path: Path; value: unknown }> {
  const result = [{ path, value }];
  if (Array.isArray(value))
    value.forEach((item, index) => result.push(...nodes(item, [...path, index])));
  else if (isPlainObject(value))
    for (const [key, item] of Object.entries(value)) result.push(...nodes(item, [...path, key]));
  return result;
}

const REPLACEMENTS: unknown[] = [
  null,
  0,
  -1,
  1.5,
  '',
  'x',
  '2026-02-30T10:00:00.000Z',
  '2026-08-01T09:41:57.103Z',
  '2026-08-01',
  true,
  {},
  [],
  [1],
  { metric: 'attack' },
];

type Mutation =
  | { kind: 'drop' }
  | { kind: 'replace'; with: unknown }
  | { kind: 'truncate'; keep: number }
  | { kind: 'add'; with: unknown };

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant({ kind: 'drop' as const }),
  fc.constantFrom(...REPLACEMENTS).map((value) => ({ kind: 'replace' as const, with: value })),
  fc.constant({ kind: 'replace' as const, with: null }),
  fc.nat(20).map((keep) => ({ kind: 'truncate' as const, keep })),
  fc.constantFrom(...REPLACEMENTS).map((value) => ({ kind: 'add' as const, with: value })),
);

/**
 * Applies a mutation to a copy of `document` at the node `target` picks. Returns the new document
 * and the path every resulting violation must lie under.
 */
function mutate(
  document: unknown,
  target: number,
  mutation: Mutation,
): { document: unknown; path: string } {
  const copy: unknown = structuredClone(document);
  const all = nodes(copy);
  const { path, value } = all[target % all.length] as { path: Path; value: unknown };
  const parentPath = path.slice(0, -1);
  const key = path.at(-1);
  const parent = parentPath.reduce<unknown>(
    (node, step) => (node as Record<string | number, unknown>)[step],
    copy,
  ) as Record<string | number, unknown> | unknown[];
  const set = (next: unknown): unknown => {
    if (key === undefined) return next;
    (parent as Record<string | number, unknown>)[key] = next;
    return copy;
  };
  switch (mutation.kind) {
    case 'drop':
      if (key === undefined) return { document: undefined, path: '' };
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else Reflect.deleteProperty(parent, key);
      return { document: copy, path: format(path) };
    case 'replace':
      return { document: set(mutation.with), path: format(path) };
    case 'truncate': {
      // An element cut short: only its first `keep` fields (or items) are left.
      if (Array.isArray(value)) value.length = Math.min(value.length, mutation.keep);
      else if (isPlainObject(value))
        for (const field of Object.keys(value).slice(mutation.keep))
          Reflect.deleteProperty(value, field);
      return { document: copy, path: format(path) };
    }
    case 'add':
      if (isPlainObject(value)) value.extra_field_from_the_future = mutation.with;
      else if (Array.isArray(value)) return { document: copy, path: format(path) };
      return { document: copy, path: format(path) };
  }
}

// --- The client under test -------------------------------------------------------------------

function clientAnswering(body: string, dates: boolean): WomClientType<WireDate> {
  return new WomClient({
    baseUrl: 'http://wom.test/v2',
    rateLimit: false,
    retry: { limit: 0 },
    parseDates: dates,
    fetch: () =>
      Promise.resolve(
        new Response(body, { status: 200, headers: { 'content-type': 'application/json' } }),
      ),
  });
}

/** The document as the client should return it: JSON round trip, dates revived or not. */
function expectedValue(document: unknown, dates: boolean): unknown {
  const wire = JSON.stringify(document);
  return JSON.parse(wire, (_key, value: unknown) =>
    revives(value, dates) ? new Date(value as string) : value,
  );
}

const isUnder = (field: string, path: string): boolean =>
  path === '' || field === path || field.startsWith(`${path}.`) || field.startsWith(`${path}[`);

const parameters = { seed: SEED, numRuns: RUNS, endOnFailure: true };
const timeout = LONG ? 0 : 30_000;

describe.each(ENDPOINTS)('$name', ({ spec, call }) => {
  it(
    'parses every valid body and returns its values unchanged',
    async () => {
      await fc.assert(
        fc.asyncProperty(arbitrary(spec), fc.boolean(), async (document, dates) => {
          const wire = JSON.parse(JSON.stringify(document)) as unknown;
          expect(violations(spec, wire, dates)).toEqual([]);
          const result = await call(clientAnswering(JSON.stringify(document), dates));
          expect(result).toEqual(expectedValue(document, dates));
        }),
        parameters,
      );
    },
    timeout,
  );

  it(
    'accepts a mutation that keeps the shape, and rejects any other with INVALID_RESPONSE naming a field under it',
    async () => {
      const seen = { accepted: 0, rejected: 0 };
      await fc.assert(
        fc.asyncProperty(
          arbitrary(spec),
          fc.nat(),
          mutationArbitrary,
          fc.boolean(),
          async (document, target, mutation, dates) => {
            const mutated = mutate(document, target, mutation);
            const body = mutated.document === undefined ? 'null' : JSON.stringify(mutated.document);
            const wire = JSON.parse(body) as unknown;
            const expected = violations(spec, wire, dates);
            let outcome: { value: unknown } | { error: unknown };
            try {
              outcome = { value: await call(clientAnswering(body, dates)) };
            } catch (error) {
              outcome = { error };
            }
            if (expected.length === 0) {
              seen.accepted += 1;
              expect(outcome).toEqual({ value: expectedValue(wire, dates) });
              return;
            }
            seen.rejected += 1;
            expect(outcome).toHaveProperty('error');
            const error = (outcome as { error: unknown }).error;
            expect(isWomClientError(error)).toBe(true);
            if (!isWomClientError(error)) return;
            expect(error.code).toBe('INVALID_RESPONSE');
            expect(error.status).toBe(200);
            expect(expected).toContain(error.field);
            expect(isUnder(error.field ?? '', mutated.path)).toBe(true);
          },
        ),
        parameters,
      );
      // Not vacuous: some mutations keep the shape (about half), many break it.
      expect(seen.accepted).toBeGreaterThan(0);
      expect(seen.rejected).toBeGreaterThanOrEqual(RUNS / 5);
    },
    timeout,
  );
});
