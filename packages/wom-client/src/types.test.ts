// Type-level tests: checked by `tsc` (the typecheck task); at runtime they only construct clients.
import { describe, expectTypeOf, it } from 'vitest';
import {
  WomClient,
  fetchGroupStats,
  type AnyMetric,
  type BossHiscoresData,
  type BulkGainsEntry,
  type CallOptions,
  type GroupDetails,
  type GroupHiscoresData,
  type GroupHiscoresEntry,
  type GroupStats,
  type IterateOptions,
  type Metric,
  type MetricDelta,
  type MetricValue,
  type PageOptions,
  type Player,
  type PlayerDetails,
  type SkillHiscoresData,
  type SkillValue,
  type Snapshot,
  type TimeRange,
  type WireDate,
  type WomClientOptions,
} from './index.js';

describe('types', () => {
  it('accepts options that may be undefined, as read from the environment', () => {
    const env: Record<string, string | undefined> = {};
    const wom = new WomClient({
      apiKey: env.WOM_API_KEY,
      baseUrl: env.WOM_BASE_URL,
      userAgent: env.USER_AGENT,
      timeout: undefined,
      rateLimit: { points: undefined, windowMs: undefined },
      retry: { limit: undefined },
    });
    expectTypeOf(wom).toEqualTypeOf<WomClient>();
  });

  it('picks the date type from parseDates', () => {
    const parsed = new WomClient();
    const raw = new WomClient({ parseDates: false });
    const runtime = new WomClient({ parseDates: Math.random() > 0.5 });
    expectTypeOf(parsed).toEqualTypeOf<WomClient>();
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-arguments -- the point of the test
    expectTypeOf<WomClient>().toEqualTypeOf<WomClient<Date>>();
    expectTypeOf(raw).toEqualTypeOf<WomClient<string>>();
    expectTypeOf(runtime).toEqualTypeOf<WomClient<WireDate>>();
    // Options checked with `satisfies` keep their literal type, so the date type stays Date.
    const options = { userAgent: 'bot' } satisfies WomClientOptions;
    expectTypeOf(new WomClient(options)).toEqualTypeOf<WomClient>();
    const widened: WomClientOptions = options;
    expectTypeOf(new WomClient(widened)).toEqualTypeOf<WomClient<WireDate>>();
    expectTypeOf<
      Awaited<ReturnType<typeof parsed.players.getDetails>>
    >().toEqualTypeOf<PlayerDetails>();
    expectTypeOf<Awaited<ReturnType<typeof raw.players.getDetails>>>().toEqualTypeOf<
      PlayerDetails<string>
    >();
    expectTypeOf<PlayerDetails['registeredAt']>().toEqualTypeOf<Date>();
    expectTypeOf<PlayerDetails<string>['updatedAt']>().toEqualTypeOf<string | null>();
    expectTypeOf<Awaited<ReturnType<typeof raw.groups.getDetails>>>().toEqualTypeOf<
      GroupDetails<string>
    >();
    expectTypeOf<Awaited<ReturnType<typeof raw.groups.getDetails>>['createdAt']>().toBeString();
  });

  it('narrows hiscores entries by metric', () => {
    const wom = new WomClient();
    expectTypeOf<
      Awaited<ReturnType<typeof wom.groups.getHiscores<'zulrah'>>>[number]
    >().toEqualTypeOf<GroupHiscoresEntry<Date, BossHiscoresData>>();
    expectTypeOf<
      Awaited<ReturnType<typeof wom.groups.getHiscores<'attack'>>>[number]['data']
    >().toEqualTypeOf<SkillHiscoresData>();
    expectTypeOf<
      Awaited<ReturnType<typeof wom.groups.getHiscores<Metric>>>[number]['data']
    >().toEqualTypeOf<GroupHiscoresData>();
    // Typed, never called: a call would send a request to the real API.
    const notAMetric = (): unknown =>
      // @ts-expect-error -- not a metric
      wom.groups.getHiscores(1, 'not_a_metric');
    expectTypeOf(notAMetric).toBeFunction();
  });

  it('keeps known metric keys exact and unknown ones optional', () => {
    type Skills = Snapshot['data']['skills'];
    expectTypeOf<Skills['attack']>().toExtend<SkillValue<'attack'>>();
    expectTypeOf<Skills['attack']['metric']>().toEqualTypeOf<'attack'>();
    expectTypeOf<Skills['a_skill_from_2027']>().toEqualTypeOf<SkillValue<string> | undefined>();
    expectTypeOf<Snapshot['id']>().toEqualTypeOf<-1>();
    expectTypeOf<BulkGainsEntry['data'][number]['metric']>().toEqualTypeOf<AnyMetric>();
    expectTypeOf<'zulrah'>().toExtend<AnyMetric>();
    expectTypeOf<'mad_angel_2'>().toExtend<AnyMetric>();
  });

  it('types time ranges as a period or two dates, not both', () => {
    expectTypeOf({ period: 'week' } as const).toExtend<TimeRange>();
    expectTypeOf({ period: '2w3d' }).toExtend<TimeRange>();
    expectTypeOf({ startDate: new Date(), endDate: '2026-01-01' }).toExtend<TimeRange>();
    expectTypeOf({ period: 'week', startDate: new Date() }).not.toExtend<TimeRange>();
    expectTypeOf({ startDate: new Date() }).not.toExtend<TimeRange>();
  });

  it('types the clan helper result', () => {
    const wom = new WomClient({ parseDates: false });
    // Typed, never called: a call would send requests to the real API.
    expectTypeOf(() => fetchGroupStats(wom, 1)).returns.resolves.toEqualTypeOf<
      GroupStats<string>
    >();
    type Member = GroupStats['members'][number];
    expectTypeOf<Member['player']>().toEqualTypeOf<Player>();
    expectTypeOf<NonNullable<Member['stats']>['overall']>().toExtend<MetricValue<'overall'>>();
    expectTypeOf<NonNullable<Member['gains']['week']>['metrics']['zulrah']>().toEqualTypeOf<
      MetricDelta & (MetricDelta | undefined)
    >();
    expectTypeOf<Member['gains']['week']>().toBeNullable();
  });

  it('takes a signal on every method', () => {
    const wom = new WomClient();
    expectTypeOf(wom).toEqualTypeOf<WomClient>();
    expectTypeOf<CallOptions>().toEqualTypeOf<{ signal?: AbortSignal | undefined }>();
    expectTypeOf<Parameters<typeof wom.groups.getDetails>[1]>().toEqualTypeOf<
      CallOptions | undefined
    >();
    expectTypeOf<Parameters<typeof wom.players.update>[1]>().toEqualTypeOf<
      CallOptions | undefined
    >();
    expectTypeOf<Parameters<typeof wom.players.getSnapshots>[2]>().toEqualTypeOf<
      PageOptions | undefined
    >();
    expectTypeOf<Parameters<typeof wom.nameChanges.search>[1]>().toEqualTypeOf<
      PageOptions | undefined
    >();
    expectTypeOf<Parameters<typeof wom.groups.iterateActivity>[1]>().toEqualTypeOf<
      IterateOptions | undefined
    >();
    expectTypeOf<PageOptions>().toExtend<CallOptions>();
    expectTypeOf<IterateOptions>().toExtend<CallOptions>();
  });
});
