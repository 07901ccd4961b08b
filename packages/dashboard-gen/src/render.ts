import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import type { DashboardData } from './dashboard-data.js';
import { DashboardError, isDashboardError } from './errors.js';
import { VIEW_WINDOWS } from './shared/view-model.js';
import { toViewModel } from './view-model.js';

/** The version of this package, as published. */
export const VERSION: string = __PACKAGE_VERSION__;

/** Options of {@link renderDashboard}. */
export interface RenderDashboardOptions {
  /**
   * Public mode, for clans that publish the page: leaves out per-member Discord figures (messages,
   * clan chat, questions, answers, linked accounts, score) and the inactivity and rank-up sections.
   * @defaultValue `false`
   */
  public?: boolean;
  /**
   * Metric → image `data:` URI (see `loadIcons`); metrics without one get a lettered badge.
   * @defaultValue `{}`
   */
  icons?: Readonly<Record<string, string>>;
  /**
   * The page title.
   * @defaultValue `"<clan name> · ClanStats"`
   */
  title?: string;
}

interface Section {
  id: string;
  title: string;
}

const SECTIONS: readonly Section[] = [
  { id: 'overview', title: 'Overview' },
  { id: 'roster', title: 'Roster' },
  { id: 'heatmap', title: 'Activity' },
  { id: 'bosses', title: 'Bosses' },
  { id: 'leaderboards', title: 'Leaderboards' },
  { id: 'inactivity', title: 'Inactivity' },
  { id: 'rankups', title: 'Rank-ups' },
  { id: 'changes', title: 'Roster changes' },
];
const PRIVATE_SECTIONS = new Set(['inactivity', 'rankups']);

interface PageAssets {
  eta: Eta;
  css: string;
  script: string;
}

let assets: PageAssets | undefined;

/** The templates, the stylesheet and the page's script, read once from `dist/` beside this file. */
function pageAssets(): PageAssets {
  if (assets !== undefined) return assets;
  // Both src/render.ts (tests) and dist/index.js sit one level below the package root.
  const dist = new URL('../dist/', import.meta.url);
  const templates = fileURLToPath(new URL('templates/', dist));
  try {
    const css = readFileSync(new URL('templates/dashboard.css', dist), 'utf8');
    const script = readFileSync(new URL('client/dashboard.js', dist), 'utf8');
    assets = {
      eta: new Eta({ views: templates, autoEscape: true, autoTrim: false, cache: true }),
      css,
      // An inline script must not contain the text that would end its element.
      script: script.replace(/<\/(script)/gi, '<\\/$1'),
    };
    return assets;
  } catch (error) {
    throw new DashboardError(
      'RENDER_FAILED',
      `The dashboard's templates or script are missing from ${fileURLToPath(dist)}; reinstall @clanstats/dashboard-gen (or build it: pnpm --filter @clanstats/dashboard-gen build).`,
      { path: fileURLToPath(dist), cause: error },
    );
  }
}

/**
 * JSON that is safe inside a `<script>` element: `<`, `>` and `&` become `\u003c`… so no name can
 * close the element or open a comment, and U+2028/U+2029 are escaped for older parsers.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const sha256 = (text: string): string =>
  `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * Renders the dashboard: one self-contained HTML page (styles, script, data and images inlined)
 * that works from `file://`, a synced drive or any static host, with no network at view time. A
 * Content-Security-Policy lets only its own inline style and script run and only `data:` images
 * load.
 *
 * @throws {@link DashboardError} `INVALID_DATA` (naming the field) when `data` is not usable,
 * `INVALID_OPTIONS`, or `RENDER_FAILED` when the package's templates are missing.
 */
export function renderDashboard(data: DashboardData, options: RenderDashboardOptions = {}): string {
  const isPublic = options.public ?? false;
  if (typeof isPublic !== 'boolean') {
    throw new DashboardError('INVALID_OPTIONS', 'options.public must be true or false', {
      field: 'public',
    });
  }
  const view = toViewModel(data, { public: isPublic, icons: options.icons ?? {} });
  const { eta, css, script } = pageAssets();
  const csp = [
    "default-src 'none'",
    'img-src data:',
    `style-src ${sha256(css)}`,
    `script-src ${sha256(script)}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const dateTime = new Intl.DateTimeFormat('en-GB', {
    timeZone: view.timezone,
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  try {
    return eta.render('./dashboard', {
      version: VERSION,
      csp,
      css,
      script,
      json: scriptSafeJson(view),
      title: options.title ?? `${view.clan.name} · ClanStats`,
      clanName: view.clan.name,
      asOfText: `as of ${dateTime.format(view.asOf)}`,
      generatedText: dateTime.format(view.generatedAt),
      timezone: view.timezone,
      public: isPublic,
      windows: VIEW_WINDOWS,
      sections: SECTIONS.filter((section) => !isPublic || !PRIVATE_SECTIONS.has(section.id)),
    });
  } catch (error) {
    if (isDashboardError(error)) throw error;
    throw new DashboardError('RENDER_FAILED', 'Rendering the dashboard template failed', {
      cause: error,
    });
  }
}
