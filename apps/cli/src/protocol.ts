/**
 * The stage protocol: how a stage process (`dist/stage.js`) talks to the orchestrator
 * (`dist/bin.js`). See "Stage protocol" in the README.
 *
 * - stdout: exactly one {@link StageResult} JSON line, the last line the stage prints.
 * - stderr: {@link StageEvent} JSON lines (logs and progress), one per line. Any other stderr
 *   line (a crash stack, a runtime warning) is forwarded as raw text.
 *
 * This module is shared by both programs; it must never import the store.
 */
import * as z from 'zod';

/** The protocol version written into every result line. */
export const STAGE_PROTOCOL_VERSION = 1;

/** Every stage the worker knows, in pipeline order first. */
export const StageNames = [
  'backup',
  'migrate',
  'harvest',
  'report',
  'export',
  'restore',
  'optimize',
  'purge-content',
  'check',
  'link',
] as const;

/** A stage name. */
export type StageName = (typeof StageNames)[number];

/** Whether `value` is a {@link StageName}. */
export function isStageName(value: string): value is StageName {
  return (StageNames as readonly string[]).includes(value);
}

/** The consola log types a stage may emit. */
export const StageLogTypes = [
  'fatal',
  'error',
  'warn',
  'log',
  'info',
  'success',
  'fail',
  'ready',
  'start',
  'box',
  'debug',
  'trace',
  'verbose',
] as const;

/** A consola log type, such as `info`. */
export type StageLogType = (typeof StageLogTypes)[number];

/** A JSON value, for {@link StageResult.details}. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Why a stage failed, as reported in its result line. */
export interface StageErrorPayload {
  /** A stable code: the store's (`MIGRATION_FAILED`), the CLI's (`NOT_IMPLEMENTED`), or `UNEXPECTED`. */
  code: string;
  /** One line, safe to show to the user. */
  message: string;
  /** Who raised it: the store (a database error), the CLI's own code, or something unexpected. */
  origin: 'store' | 'cli' | 'unexpected';
  /** The stack trace, shown only with `--verbose`. */
  stack?: string;
  /** `SOURCE_FAILED` only: whether the other source's data was saved (a partial harvest). */
  partial?: boolean;
  /**
   * `SOURCE_FAILED` only: `false` when the database lacks what the report needs (Wise Old Man
   * failed before any roster of the group was saved), so `run` stops after the harvest. Omitted:
   * `true`.
   */
  reportable?: boolean;
}

interface StageResultBase {
  /** Always {@link STAGE_PROTOCOL_VERSION}. */
  protocol: typeof STAGE_PROTOCOL_VERSION;
  /** The stage that ran. */
  stage: StageName;
  /** Wall-clock time of the stage body, in milliseconds. */
  durationMs: number;
  /** Numbers worth reporting, such as `{ applied: 3 }`. */
  counts: Record<string, number>;
  /** Structured output the orchestrator prints, such as the list of backups. */
  details: Record<string, JsonValue>;
}

/** The result line of a stage that succeeded. */
export interface StageSuccess extends StageResultBase {
  /** `ok`. */
  status: 'ok';
}

/** The result line of a stage that failed in a controlled way. */
export interface StageFailure extends StageResultBase {
  /** `error`. */
  status: 'error';
  /** What went wrong. */
  error: StageErrorPayload;
}

/** The one JSON line a stage prints last on stdout. */
export type StageResult = StageSuccess | StageFailure;

/** A log line emitted by a stage. */
export interface StageLogEvent {
  /** `log`. */
  event: 'log';
  /** The consola log type. */
  type: StageLogType;
  /** The consola tag, usually the stage name. */
  tag: string;
  /** The message, already formatted. */
  message: string;
  /** When it was logged (ISO 8601). */
  time: string;
}

/** Progress of a long stage step; the orchestrator renders a bar or periodic lines. */
export interface StageProgressEvent {
  /** `progress`. */
  event: 'progress';
  /** What is being counted, such as `members`. */
  label: string;
  /** Items done so far. */
  current: number;
  /** Items in total. */
  total: number;
}

/** A line a stage writes to stderr. */
export type StageEvent = StageLogEvent | StageProgressEvent;

const jsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(jsonValueSchema),
    z.record(z.string(), jsonValueSchema),
  ]),
);

const resultBaseShape = {
  protocol: z.literal(STAGE_PROTOCOL_VERSION),
  stage: z.enum(StageNames),
  durationMs: z.number().nonnegative(),
  counts: z.record(z.string(), z.number()),
  details: z.record(z.string(), jsonValueSchema),
};

const stageResultSchema = z.discriminatedUnion('status', [
  z.object({ ...resultBaseShape, status: z.literal('ok') }),
  z.object({
    ...resultBaseShape,
    status: z.literal('error'),
    error: z.object({
      code: z.string().min(1),
      message: z.string(),
      origin: z.enum(['store', 'cli', 'unexpected']),
      stack: z.string().optional(),
      partial: z.boolean().optional(),
      reportable: z.boolean().optional(),
    }),
  }),
]);

const stageEventSchema = z.discriminatedUnion('event', [
  z.object({
    event: z.literal('log'),
    type: z.enum(StageLogTypes),
    tag: z.string(),
    message: z.string(),
    time: z.string(),
  }),
  z.object({
    event: z.literal('progress'),
    label: z.string(),
    current: z.number().nonnegative(),
    total: z.number().nonnegative(),
  }),
]);

function parseJsonObject(line: string): unknown {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
}

/** Serializes a result as the one line a stage prints last on stdout. */
export function formatResultLine(result: StageResult): string {
  return JSON.stringify(result);
}

/** Parses a result line; `undefined` when the line is not a valid {@link StageResult}. */
export function parseResultLine(line: string): StageResult | undefined {
  const parsed = stageResultSchema.safeParse(parseJsonObject(line));
  if (!parsed.success) return undefined;
  const { data } = parsed;
  if (data.status === 'ok') return data;
  const { stack, partial, reportable, ...error } = data.error;
  return {
    ...data,
    error: {
      ...error,
      ...(stack === undefined ? {} : { stack }),
      ...(partial === undefined ? {} : { partial }),
      ...(reportable === undefined ? {} : { reportable }),
    },
  };
}

/** Serializes an event as one stderr line. */
export function formatEventLine(event: StageEvent): string {
  return JSON.stringify(event);
}

/** Parses a stderr line; `undefined` when it is not an event (raw text). */
export function parseEventLine(line: string): StageEvent | undefined {
  const parsed = stageEventSchema.safeParse(parseJsonObject(line));
  return parsed.success ? parsed.data : undefined;
}
