import type { SyntheticNameChange } from '../clan/model.js';
import { standardizeUsername, validateUsername } from '../clan/names.js';
import type { Route, RouteContext, RouteReply } from './context.js';
import { paginate } from './context.js';
import { NAME_CHANGE_STATUSES } from './enums.js';
import { legacyError, validationError } from './errors.js';
import { formatNameChange, iso } from './format.js';
import { parsePagination, queryValue } from './validation.js';

function search(context: RouteContext): RouteReply {
  const username = queryValue(context.query, 'username');
  const status = queryValue(context.query, 'status');
  if (status !== undefined && !(NAME_CHANGE_STATUSES as readonly string[]).includes(status)) {
    throw validationError(
      `Invalid enum value for 'status'. Expected ${NAME_CHANGE_STATUSES.join(' | ')}`,
    );
  }
  const page = parsePagination(context.query, 50);
  const needle = username === undefined ? undefined : standardizeUsername(username);
  const rows = context.state.nameChanges
    .filter((change) => status === undefined || change.status === status)
    .filter(
      (change) =>
        needle === undefined ||
        standardizeUsername(change.oldName).startsWith(needle) ||
        standardizeUsername(change.newName).startsWith(needle),
    )
    .sort((left, right) => right.createdAt.localeCompare(left.createdAt));
  return { status: 200, json: paginate(rows, page).map((change) => formatNameChange(change)) };
}

function submit(context: RouteContext): RouteReply {
  const body = (
    typeof context.body === 'object' && context.body !== null ? context.body : {}
  ) as Record<string, unknown>;
  if (body.oldName === undefined) throw validationError("Parameter 'oldName' is undefined.");
  if (typeof body.oldName !== 'string')
    throw validationError("Parameter 'oldName' is not a valid string.");
  if (body.newName === undefined) throw validationError("Parameter 'newName' is undefined.");
  if (typeof body.newName !== 'string')
    throw validationError("Parameter 'newName' is not a valid string.");
  const oldName = standardizeUsername(body.oldName);
  const newName = standardizeUsername(body.newName);
  if (oldName === newName) throw legacyError(400, 'Old name and new name cannot be the same.');
  if (validateUsername(body.newName) !== null) throw legacyError(400, 'Invalid new username.');
  const pending = context.state.nameChanges.find(
    (change) =>
      change.status === 'pending' &&
      standardizeUsername(change.oldName) === oldName &&
      standardizeUsername(change.newName) === newName,
  );
  if (pending !== undefined) {
    throw legacyError(400, `There's already a similar pending name change. (Id: ${pending.id})`);
  }
  const player = context.state.byUsername.get(oldName);
  if (player === undefined) throw legacyError(400, `Player '${body.oldName}' is not tracked yet.`);
  const now = iso(context.now);
  const change: SyntheticNameChange = {
    id: context.state.nextNameChangeId++,
    playerId: player.id,
    oldName: body.oldName,
    newName: body.newName,
    status: 'pending',
    reviewContext: null,
    resolvedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  context.state.nameChanges.push(change);
  return { status: 201, json: formatNameChange(change) };
}

/** Name change routes. */
export const NAME_ROUTES: readonly Route[] = [
  { method: 'GET', pattern: '/names', handler: search },
  { method: 'POST', pattern: '/names', handler: submit },
];
