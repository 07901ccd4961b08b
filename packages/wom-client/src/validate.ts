/**
 * Runtime checks of the responses a harvest reads, at the client's boundary: a body with the wrong
 * shape is reported as `INVALID_RESPONSE` naming the field (`memberships[12].player.id`) instead
 * of failing later with a `TypeError`. Hand-written, with no allocation per field on the happy
 * path (a path stack of object and array steps; a field's name joins it only when its check
 * fails), so checking `bulk-hiscores` for 500 members × 113 metrics costs about 8 ms (parsing that
 * body with date revival takes about 175 ms). Not exported from the
 * package.
 *
 * Lenient where Wise Old Man is: extra fields pass, metrics unknown to this version pass (with the
 * shape of their category), known metrics may be missing (the server dropped `league_points` in
 * 2026-03; `fetchGroupStats` fills them in as unranked), and fields newer than the oldest supported
 * server (`patron`, `visible`, `clientSyncJoinedAt`, …) may be absent. Enumerations are checked
 * only where a later step depends on the value: a hiscores row's `data.type`, a member activity's
 * `type` and a name change's `status`.
 */

/** A failed check: where (a JSON path from the body's root) and what. */
export class ResponseShapeError extends Error {
  override readonly name = 'ResponseShapeError';
  /** The JSON path of the offending value, e.g. `[3].data.skills.attack.experience`. */
  readonly field: string;
  constructor(field: string, expected: string, value: unknown) {
    super(`${field === '' ? '(root)' : field}: expected ${expected}, got ${describe(value)}`);
    this.field = field;
  }
}

/** What a check needs: how dates arrive, and the path walked so far. */
export interface ShapeContext {
  /** True when the client revives dates (`parseDates`): date fields must be valid `Date`s. */
  readonly dates: boolean;
  /** The object keys and array indexes from the root to the value being checked. */
  readonly path: Array<string | number>;
}

/** Checks a whole response body; throws {@link ResponseShapeError}. */
export type ShapeCheck = (value: unknown, context: ShapeContext) => void;

/** Runs a check from the root, with a fresh path. */
export function checkShape(check: ShapeCheck, value: unknown, parseDates: boolean): void {
  check(value, { dates: parseDates, path: [] });
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The JSON path of `path` plus an optional last key: `memberships[12].player.id`. */
export function formatPath(path: ReadonlyArray<string | number>, key?: string | number): string {
  let result = '';
  const steps = key === undefined ? path : [...path, key];
  for (const step of steps) {
    if (typeof step === 'number') result += `[${step}]`;
    else if (IDENTIFIER.test(step)) result += result === '' ? step : `.${step}`;
    else result += `[${JSON.stringify(step)}]`;
  }
  return result;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing (missing)';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : 'a Date';
  if (typeof value === 'string') {
    const text = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `the string ${JSON.stringify(text)}`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value === 'object' ? 'an object' : typeof value;
}

type Fields = Record<string, unknown>;

function fail(
  context: ShapeContext,
  key: string | number | undefined,
  expected: string,
  value: unknown,
): never {
  throw new ResponseShapeError(formatPath(context.path, key), expected, value);
}

/** `value` as a plain object (not null, not an array), or a failure at the current path. */
function object(value: unknown, context: ShapeContext): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date)
    fail(context, undefined, 'an object', value);
  return value as Fields;
}

function array(value: unknown, context: ShapeContext): unknown[] {
  if (!Array.isArray(value)) fail(context, undefined, 'an array', value);
  return value;
}

/** Checks every element of an array with `check`. */
function each(value: unknown, context: ShapeContext, check: ShapeCheck): void {
  const items = array(value, context);
  const { path } = context;
  for (let index = 0; index < items.length; index++) {
    path.push(index);
    check(items[index], context);
    path.pop();
  }
}

/** Checks `fields[key]` with `check`, one level down. */
function child(fields: Fields, key: string, context: ShapeContext, check: ShapeCheck): void {
  context.path.push(key);
  check(fields[key], context);
  context.path.pop();
}

function number(fields: Fields, key: string, context: ShapeContext): void {
  const value = fields[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(context, key, 'a number', value);
}

function numberOrNull(fields: Fields, key: string, context: ShapeContext, optional = false): void {
  const value = fields[key];
  if (value === null || (optional && value === undefined)) return;
  if (typeof value !== 'number' || !Number.isFinite(value))
    fail(context, key, optional ? 'a number, null or nothing' : 'a number or null', value);
}

function id(fields: Fields, key: string, context: ShapeContext): void {
  const value = fields[key];
  if (!Number.isSafeInteger(value)) fail(context, key, 'an integer id', value);
}

function string(fields: Fields, key: string, context: ShapeContext): void {
  const value = fields[key];
  if (typeof value !== 'string') fail(context, key, 'a string', value);
}

function optionalString(fields: Fields, key: string, context: ShapeContext): void {
  const value = fields[key];
  if (value !== undefined && typeof value !== 'string')
    fail(context, key, 'a string or nothing', value);
}

function stringOrNull(fields: Fields, key: string, context: ShapeContext, optional = false): void {
  const value = fields[key];
  if (value === null || (optional && value === undefined)) return;
  if (typeof value !== 'string')
    fail(context, key, optional ? 'a string, null or nothing' : 'a string or null', value);
}

function optionalBoolean(fields: Fields, key: string, context: ShapeContext): void {
  const value = fields[key];
  if (value !== undefined && typeof value !== 'boolean')
    fail(context, key, 'a boolean or nothing', value);
}

function oneOf(
  fields: Fields,
  key: string,
  context: ShapeContext,
  allowed: ReadonlySet<string>,
): void {
  const value = fields[key];
  if (typeof value !== 'string' || !allowed.has(value))
    fail(context, key, `one of ${[...allowed].map((item) => `"${item}"`).join(', ')}`, value);
}

function isDate(value: unknown, context: ShapeContext): boolean {
  return context.dates
    ? value instanceof Date && !Number.isNaN(value.getTime())
    : typeof value === 'string' && value !== '';
}

function dateExpected(context: ShapeContext): string {
  return context.dates ? 'an ISO-8601 date (YYYY-MM-DDTHH:mm:ss.sssZ)' : 'a date string';
}

function date(fields: Fields, key: string, context: ShapeContext): void {
  const value = fields[key];
  if (!isDate(value, context)) fail(context, key, dateExpected(context), value);
}

function dateOrNull(fields: Fields, key: string, context: ShapeContext, optional = false): void {
  const value = fields[key];
  if (value === null || (optional && value === undefined)) return;
  if (!isDate(value, context))
    fail(context, key, `${dateExpected(context)}, null${optional ? ' or nothing' : ''}`, value);
}

// --- Shapes -----------------------------------------------------------------------------------

/** A {@link Player}. */
export const checkPlayer: ShapeCheck = (value, context) => {
  const player = object(value, context);
  id(player, 'id', context);
  string(player, 'username', context);
  string(player, 'displayName', context);
  string(player, 'type', context);
  string(player, 'build', context);
  string(player, 'status', context);
  stringOrNull(player, 'country', context, true);
  optionalBoolean(player, 'patron', context);
  number(player, 'exp', context);
  number(player, 'ehp', context);
  number(player, 'ehb', context);
  number(player, 'ttm', context);
  number(player, 'tt200m', context);
  date(player, 'registeredAt', context);
  dateOrNull(player, 'updatedAt', context);
  dateOrNull(player, 'lastChangedAt', context);
  dateOrNull(player, 'lastImportedAt', context, true);
};

const checkPlayerOrNull: ShapeCheck = (value, context) => {
  if (value !== null) checkPlayer(value, context);
};

const checkMembership: ShapeCheck = (value, context) => {
  const membership = object(value, context);
  id(membership, 'playerId', context);
  id(membership, 'groupId', context);
  string(membership, 'role', context);
  dateOrNull(membership, 'clientSyncJoinedAt', context, true);
  date(membership, 'createdAt', context);
  date(membership, 'updatedAt', context);
  child(membership, 'player', context, checkPlayer);
};

/** `GET /groups/:id`. */
export const checkGroupDetails: ShapeCheck = (value, context) => {
  const group = object(value, context);
  id(group, 'id', context);
  string(group, 'name', context);
  stringOrNull(group, 'clanChat', context, true);
  stringOrNull(group, 'description', context, true);
  numberOrNull(group, 'homeworld', context, true);
  optionalBoolean(group, 'verified', context);
  optionalBoolean(group, 'patron', context);
  optionalBoolean(group, 'visible', context);
  stringOrNull(group, 'profileImage', context, true);
  stringOrNull(group, 'bannerImage', context, true);
  numberOrNull(group, 'score', context, true);
  date(group, 'createdAt', context);
  date(group, 'updatedAt', context);
  number(group, 'memberCount', context);
  if (group.socialLinks !== undefined && group.socialLinks !== null)
    child(group, 'socialLinks', context, (links) => object(links, context));
  if (group.roleOrders !== undefined)
    child(group, 'roleOrders', context, (orders) => array(orders, context));
  child(group, 'memberships', context, (memberships) => {
    each(memberships, context, checkMembership);
  });
};

// Snapshot values, per category. `metric` may be absent (older servers keyed by name only).
const checkSkillValue: ShapeCheck = (value, context) => {
  const entry = object(value, context);
  optionalString(entry, 'metric', context);
  number(entry, 'experience', context);
  number(entry, 'rank', context);
  number(entry, 'level', context);
  numberOrNull(entry, 'ehp', context, true);
};
const checkBossValue: ShapeCheck = (value, context) => {
  const entry = object(value, context);
  optionalString(entry, 'metric', context);
  number(entry, 'kills', context);
  number(entry, 'rank', context);
  numberOrNull(entry, 'ehb', context, true);
};
const checkActivityValue: ShapeCheck = (value, context) => {
  const entry = object(value, context);
  optionalString(entry, 'metric', context);
  number(entry, 'score', context);
  number(entry, 'rank', context);
};
const checkComputedValue: ShapeCheck = (value, context) => {
  const entry = object(value, context);
  optionalString(entry, 'metric', context);
  number(entry, 'value', context);
  number(entry, 'rank', context);
};
/** A category this version does not know: its entries must at least be objects. */
const checkUnknownValue: ShapeCheck = (value, context) => {
  object(value, context);
};

const SNAPSHOT_CATEGORIES: ReadonlyArray<readonly [string, ShapeCheck]> = [
  ['skills', checkSkillValue],
  ['bosses', checkBossValue],
  ['activities', checkActivityValue],
  ['computed', checkComputedValue],
];

function checkCategory(value: unknown, context: ShapeContext, check: ShapeCheck): void {
  const category = object(value, context);
  const { path } = context;
  for (const metric in category) {
    path.push(metric);
    check(category[metric], context);
    path.pop();
  }
}

/** A {@link Snapshot}. */
export const checkSnapshot: ShapeCheck = (value, context) => {
  const snapshot = object(value, context);
  id(snapshot, 'playerId', context);
  date(snapshot, 'createdAt', context);
  dateOrNull(snapshot, 'importedAt', context, true);
  child(snapshot, 'data', context, (dataValue) => {
    const data = object(dataValue, context);
    for (const [name, check] of SNAPSHOT_CATEGORIES) {
      child(data, name, context, (category) => {
        checkCategory(category, context, check);
      });
    }
    for (const name in data) {
      if (name === 'skills' || name === 'bosses' || name === 'activities' || name === 'computed')
        continue;
      child(data, name, context, (category) => {
        checkCategory(category, context, checkUnknownValue);
      });
    }
  });
};

/** `GET /groups/:id/bulk-hiscores`. */
export const checkBulkHiscores: ShapeCheck = (value, context) => {
  each(value, context, (row) => {
    const entry = object(row, context);
    child(entry, 'player', context, checkPlayer);
    child(entry, 'data', context, checkSnapshot);
  });
};

const HISCORES_TYPES = new Set(['skill', 'boss', 'activity', 'computed']);

const checkHiscoresData: ShapeCheck = (value, context) => {
  const data = object(value, context);
  oneOf(data, 'type', context, HISCORES_TYPES);
  number(data, 'rank', context);
  switch (data.type) {
    case 'skill':
      number(data, 'level', context);
      number(data, 'experience', context);
      break;
    case 'boss':
      number(data, 'kills', context);
      break;
    case 'activity':
      number(data, 'score', context);
      break;
    default:
      number(data, 'value', context);
  }
};

/** `GET /groups/:id/hiscores`. */
export const checkGroupHiscores: ShapeCheck = (value, context) => {
  each(value, context, (row) => {
    const entry = object(row, context);
    child(entry, 'player', context, checkPlayer);
    child(entry, 'data', context, checkHiscoresData);
  });
};

function checkDelta(delta: Fields, context: ShapeContext): void {
  number(delta, 'gained', context);
  number(delta, 'start', context);
  number(delta, 'end', context);
}

/** `GET /groups/:id/gained`. */
export const checkGroupGains: ShapeCheck = (value, context) => {
  each(value, context, (row) => {
    const entry = object(row, context);
    child(entry, 'player', context, checkPlayer);
    date(entry, 'startDate', context);
    date(entry, 'endDate', context);
    child(entry, 'data', context, (data) => {
      checkDelta(object(data, context), context);
    });
  });
};

const checkMetricGain: ShapeCheck = (value, context) => {
  const gain = object(value, context);
  string(gain, 'metric', context);
  checkDelta(gain, context);
};

/** `GET /groups/:id/bulk-gained`. */
export const checkBulkGains: ShapeCheck = (value, context) => {
  each(value, context, (row) => {
    const entry = object(row, context);
    child(entry, 'player', context, checkPlayer);
    date(entry, 'startDate', context);
    date(entry, 'endDate', context);
    child(entry, 'data', context, (data) => {
      each(data, context, checkMetricGain);
    });
  });
};

const ACTIVITY_TYPES = new Set(['joined', 'left', 'changed_role']);

/** `GET /groups/:id/activity`. The player may be `null` (a deleted player). */
export const checkGroupActivity: ShapeCheck = (value, context) => {
  each(value, context, (row) => {
    const activity = object(row, context);
    id(activity, 'groupId', context);
    id(activity, 'playerId', context);
    oneOf(activity, 'type', context, ACTIVITY_TYPES);
    stringOrNull(activity, 'role', context);
    stringOrNull(activity, 'previousRole', context, true);
    date(activity, 'createdAt', context);
    child(activity, 'player', context, checkPlayerOrNull);
  });
};

const NAME_CHANGE_STATUSES = new Set(['pending', 'approved', 'denied']);

function checkNameChangeFields(change: Fields, context: ShapeContext): void {
  id(change, 'id', context);
  id(change, 'playerId', context);
  string(change, 'oldName', context);
  string(change, 'newName', context);
  oneOf(change, 'status', context, NAME_CHANGE_STATUSES);
  const review = change.reviewContext;
  if (review !== undefined && review !== null)
    child(change, 'reviewContext', context, (reviewValue) => object(reviewValue, context));
  dateOrNull(change, 'resolvedAt', context);
  date(change, 'createdAt', context);
  date(change, 'updatedAt', context);
}

/** A {@link NameChange}: `POST /names`. */
export const checkNameChange: ShapeCheck = (value, context) => {
  checkNameChangeFields(object(value, context), context);
};

/** `GET /names`. */
export const checkNameChanges: ShapeCheck = (value, context) => {
  each(value, context, checkNameChange);
};

/** `GET /groups/:id/name-changes`. The player may be `null`. */
export const checkGroupNameChanges: ShapeCheck = (value, context) => {
  each(value, context, (row) => {
    const change = object(row, context);
    checkNameChangeFields(change, context);
    child(change, 'player', context, checkPlayerOrNull);
  });
};

/** `POST /groups/:id/update-all`. */
export const checkUpdateAllResult: ShapeCheck = (value, context) => {
  const result = object(value, context);
  number(result, 'count', context);
  stringOrNull(result, 'message', context, true);
};
