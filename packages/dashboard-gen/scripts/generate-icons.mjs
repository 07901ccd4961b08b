#!/usr/bin/env node
// Draws ClanStats' own icon for every Wise Old Man metric into assets/icons/<metric>.svg (one
// per metric of src/metrics.ts, nothing else): skills get a rounded square with a glyph, bosses a
// crest with a monogram (and a badge for challenge/hard/expert modes), activities a diamond or a
// circle with a monogram, ehp/ehb an hourglass and a clock.
//
//   pnpm --filter @clanstats/dashboard-gen icons            write the icons
//   pnpm --filter @clanstats/dashboard-gen icons -- --check  fail if the files are not up to date
//
// The metric names come from src/metrics.ts itself (transpiled with the workspace's TypeScript),
// so the icons' <title>s can never drift from metricName().
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const PACKAGE_DIR = new URL('../', import.meta.url);
const ICON_DIR = fileURLToPath(new URL('../../assets/icons/', PACKAGE_DIR));

async function loadMetricInfo() {
  const source = readFileSync(new URL('src/metrics.ts', PACKAGE_DIR), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const module = await import(
    `data:text/javascript;base64,${Buffer.from(outputText).toString('base64')}`
  );
  return module.METRIC_INFO;
}

// ---------------------------------------------------------------------------------------------
// Colours

/** FNV-1a, for a stable colour per name. */
function hash(text) {
  let value = 0x811c9dc5;
  for (const character of text) {
    value ^= character.codePointAt(0);
    value = Math.imul(value, 0x01000193) >>> 0;
  }
  return value;
}

function hsl(hue, saturation, lightness) {
  const s = saturation / 100;
  const l = lightness / 100;
  const a = s * Math.min(l, 1 - l);
  const channel = (n) => {
    const k = (n + hue / 30) % 12;
    const value = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(value * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}

/** A darker shade of a `#rrggbb` colour, for outlines. */
function darker(hex, factor = 0.6) {
  const channels = [1, 3, 5].map((index) => parseInt(hex.slice(index, index + 2), 16));
  return `#${channels
    .map((channel) =>
      Math.round(channel * factor)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

// ---------------------------------------------------------------------------------------------
// Drawing helpers (all on a 32 × 32 grid; glyphs are white on the coloured shape)

const WHITE = '#fff';
const fill = (d, colour = WHITE) => `<path d="${d}" fill="${colour}"/>`;
const line = (d, width = 2.5, colour = WHITE) =>
  `<path d="${d}" fill="none" stroke="${colour}" stroke-width="${width}" stroke-linecap="round" stroke-linejoin="round"/>`;
const circle = (cx, cy, r, colour = WHITE) =>
  `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${colour}"/>`;
const rotate = (degrees, content) => `<g transform="rotate(${degrees} 16 16)">${content}</g>`;

function text(content, { x = 16, y = 16, size = 11, colour = WHITE } = {}) {
  // Cap height is about 0.72 em: shifting the baseline by half of it centres the capitals on y.
  const baseline = Math.round((y + size * 0.36) * 10) / 10;
  return `<text x="${x}" y="${baseline}" fill="${colour}" font-family="sans-serif" font-weight="bold" font-size="${size}" text-anchor="middle">${content}</text>`;
}

/** A monogram sized to its length. */
function monogram(letters, y) {
  const size = letters.length >= 3 ? 10 : letters.length === 2 ? 12 : 15;
  return text(letters, { y, size });
}

/** A small dark pill in the bottom-right corner, for variants (CM, HM, EX) and tiers. */
function badge(letters) {
  const width = letters.length > 1 ? 14 : 10;
  const x = 31 - width;
  return `<rect x="${x}" y="21.5" width="${width}" height="9" rx="3" fill="#1b1b1f" stroke="${WHITE}"/>${text(
    letters,
    { x: x + width / 2, y: 26, size: 7 },
  )}`;
}

// ---------------------------------------------------------------------------------------------
// Skills: a rounded square in the skill's colour with a glyph

/** `[colour, glyph]`; glyphs may punch details out in the background colour `bg`. */
const SKILLS = {
  overall: ['#806a22', () => fill('M7 18h4.5v8H7zM13.75 12h4.5v14h-4.5zM20.5 6h4.5v20h-4.5z')],
  attack: [
    '#9e3328',
    () =>
      fill('M25.5 6.5 25 11 14 22l-4-4L21 7z') +
      line('M8 16.5l7.5 7.5') +
      line('M10.5 21.5l-4 4', 3),
  ],
  defence: [
    '#3b5b96',
    (bg) => fill('M16 5.5 25 8.5v7c0 5.5-4 9-9 11-5-2-9-5.5-9-11v-7z') + line('M16 9.5v13', 2, bg),
  ],
  strength: [
    '#2d7445',
    () =>
      fill('M4.5 12h3v8h-3zM8.5 9.5h3.5v13H8.5zM20 9.5h3.5v13H20zM24.5 12h3v8h-3zM12 14.5h8v3h-8z'),
  ],
  hitpoints: [
    '#b02e40',
    () =>
      fill(
        'M16 26.5C6 19.5 5 13 7.3 9.8 9.6 6.6 14 7 16 10.8 18 7 22.4 6.6 24.7 9.8 27 13 26 19.5 16 26.5z',
      ),
  ],
  ranged: [
    '#567a26',
    () =>
      line('M10 5c11 4 11 18 0 22') +
      line('M10 5v22', 1) +
      line('M5.5 16H23', 2) +
      fill('M27.5 16 22 12.5v7z'),
  ],
  prayer: ['#6f66a8', () => fill('M16 3.5 19 13l9.5 3-9.5 3-3 9.5-3-9.5-9.5-3 9.5-3z')],
  magic: [
    '#3a4fb0',
    (bg) =>
      fill('M17.5 4 23.5 20h-15z') +
      `<rect x="5.5" y="20.5" width="21" height="4" rx="2" fill="${WHITE}"/>` +
      circle(16.5, 14, 1.8, bg),
  ],
  cooking: [
    '#7b3f8c',
    () =>
      fill('M7 13h18v6.5c0 4-3 6.5-6.5 6.5h-5C10 26 7 23.5 7 19.5z') +
      line('M4.5 15H7M25 15h2.5', 2) +
      line('M9 10h14', 2) +
      circle(16, 7.5, 1.6),
  ],
  woodcutting: [
    '#6b4a24',
    () => rotate(35, line('M16 6v21', 2.5) + fill('M15 6.5h4c4 0 7 2 7.5 6.5l-11.5 1.5z')),
  ],
  fletching: [
    '#2f7f7a',
    () =>
      line('M9 23 24 8', 2) +
      fill('M27 5l-1.5 7-5.5-5.5z') +
      line('M9 23l-4-1M9 23l1 4M12 20l-4-1M12 20l1 4', 2),
  ],
  fishing: [
    '#2d6fa3',
    (bg) =>
      fill('M4.5 16c4-7 13.5-7 17.5 0-4 7-13.5 7-17.5 0z') +
      fill('M21 16l6.5-5.5v11z') +
      circle(9.5, 14.8, 1.4, bg),
  ],
  firemaking: [
    '#c2561b',
    (bg) =>
      fill(
        'M16 3.5c1 5 7 7.5 7 15 0 4.5-3 8.5-7 8.5s-7-3.5-7-8c0-4 2.5-6 3.5-8.5 1 2.5 1.5 4 3 4.5 1-4-.5-8 .5-11.5z',
      ) + fill('M16 18c1.5 2 3 3 3 5s-1.5 3-3 3-3-1-3-3 1.5-3 3-5z', bg),
  ],
  crafting: [
    '#8a5a2b',
    (bg) =>
      fill('M10 7.5h12l5 6.5-11 12.5L5 14z') +
      line('M5 14h22M12 14l4 12.5 4-12.5M10 7.5l2 6.5 4-6.5 4 6.5 2-6.5', 1, bg),
  ],
  smithing: [
    '#5a5f66',
    () =>
      fill(
        'M4.5 9h17.5c0 3 2.5 4 5.5 4v1.5c-3 .5-5.5 2-7 3V21h2.5v3.5h-13V21H12v-3.5c-2-1.5-5-3.5-7.5-4z',
      ),
  ],
  mining: [
    '#4f5962',
    () => rotate(-30, line('M6 12.5Q16 3 26 12.5', 3.5) + line('M16 8.5v19', 2.5)),
  ],
  herblore: [
    '#2f8a3a',
    (bg) =>
      fill(
        'M13 4.5h6v2.5h-.8v5c4.5 1.5 7 5 7 8.5 0 3.5-4 6.5-9.2 6.5S6.8 24 6.8 20.5c0-3.5 2.5-7 7-8.5V7H13z',
      ) + line('M9.5 19h13', 1.5, bg),
  ],
  agility: ['#24568a', () => line('M7.5 8.5 14 16l-6.5 7.5M16.5 8.5 23 16l-6.5 7.5', 3.2)],
  thieving: [
    '#6a3e7a',
    (bg) =>
      fill(
        'M3.5 13c6-3.5 19-3.5 25 0 0 6-4 8.5-8.5 7.5-2-.5-3-2.5-4-2.5s-2 2-4 2.5c-4.5 1-8.5-1.5-8.5-7.5z',
      ) +
      `<ellipse cx="10.5" cy="15" rx="2.8" ry="1.8" fill="${bg}"/><ellipse cx="21.5" cy="15" rx="2.8" ry="1.8" fill="${bg}"/>`,
  ],
  slayer: [
    '#45454d',
    (bg) =>
      fill(
        'M16 4.5c-6 0-9.5 4-9.5 9.5 0 3.5 2 5.5 4 6.5v5h11v-5c2-1 4-3 4-6.5 0-5.5-3.5-9.5-9.5-9.5z',
      ) +
      circle(12, 13.5, 2.6, bg) +
      circle(20, 13.5, 2.6, bg) +
      fill('M16 16.5l-1.3 2.7h2.6z', bg) +
      line('M14 22v3.5M18 22v3.5', 1.2, bg),
  ],
  farming: [
    '#4e8a2b',
    () =>
      line('M16 26.5V14') +
      fill('M16 17c-6 0-9-4-9-8.5 5 0 9 2.5 9 8.5z') +
      fill('M16 14.5c0-5.5 3.5-9 9.5-9 0 5.5-3.5 9-9.5 9z') +
      line('M9 26.5h14', 2),
  ],
  runecrafting: [
    '#a0762a',
    (bg) =>
      fill('M16 4.5c7 0 10.5 4.5 10.5 11.5S22.5 27.5 16 27.5 5.5 23 5.5 16 9 4.5 16 4.5z') +
      line('M16 9v14M16 12.5l5-3M16 16.5l-5-3M16 20.5l5-3', 2, bg),
  ],
  hunter: [
    '#7a5a3a',
    () =>
      `<ellipse cx="16" cy="20.5" rx="6" ry="5" fill="${WHITE}"/>` +
      circle(8.5, 13.5, 2.5) +
      circle(13.3, 9, 2.5) +
      circle(18.7, 9, 2.5) +
      circle(23.5, 13.5, 2.5),
  ],
  construction: [
    '#8a6a45',
    (bg) =>
      fill('M16 4.5 27.5 15h-3.5v11.5H8V15H4.5z') +
      `<rect x="14" y="19" width="4" height="7.5" fill="${bg}"/>`,
  ],
  sailing: [
    '#1f6e8c',
    () => fill('M15 4v16H6zM17 7c5 4 7 9 7 13h-7z') + fill('M4 21.5h24l-4 5H8z'),
  ],
};

function skillIcon(metric) {
  const entry = SKILLS[metric];
  if (entry === undefined) throw new Error(`no glyph for the skill ${metric}`);
  const [colour, glyph] = entry;
  return `<rect x="1.5" y="1.5" width="29" height="29" rx="7" fill="${colour}" stroke="${darker(colour)}"/>${glyph(colour)}`;
}

// ---------------------------------------------------------------------------------------------
// Bosses: a crest in a colour derived from the name, with a monogram

/** `metric: [monogram, badge?]`. */
const BOSSES = {
  abyssal_sire: ['AS'],
  alchemical_hydra: ['Hyd'],
  amoxliatl: ['Amx'],
  araxxor: ['Arx'],
  artio: ['Art'],
  barrows_chests: ['Brw'],
  brutus: ['Bru'],
  bryophyta: ['Bry'],
  callisto: ['Cal'],
  calvarion: ['Cv'],
  cerberus: ['Cer'],
  chambers_of_xeric: ['CoX'],
  chambers_of_xeric_challenge_mode: ['CoX', 'CM'],
  chaos_elemental: ['CE'],
  chaos_fanatic: ['CF'],
  commander_zilyana: ['Zil'],
  corporeal_beast: ['Cor'],
  crazy_archaeologist: ['CA'],
  dagannoth_prime: ['DP'],
  dagannoth_rex: ['DR'],
  dagannoth_supreme: ['DS'],
  deranged_archaeologist: ['DA'],
  doom_of_mokhaiotl: ['DoM'],
  duke_sucellus: ['Duk'],
  general_graardor: ['Gra'],
  giant_mole: ['Mol'],
  grotesque_guardians: ['GG'],
  hespori: ['Hes'],
  kalphite_queen: ['KQ'],
  king_black_dragon: ['KBD'],
  kraken: ['Kra'],
  kreearra: ['Kre'],
  kril_tsutsaroth: ['Kri'],
  lunar_chests: ['LC'],
  mad_angel: ['MA'],
  maggot_king: ['MK'],
  mimic: ['Mim'],
  nex: ['Nex'],
  nightmare: ['NM'],
  phosanis_nightmare: ['NM', 'P'],
  obor: ['Obo'],
  phantom_muspah: ['Mus'],
  sarachnis: ['Sar'],
  scorpia: ['Sco'],
  scurrius: ['Scu'],
  shellbane_gryphon: ['SG'],
  skotizo: ['Sko'],
  sol_heredit: ['Sol'],
  spindel: ['Spi'],
  tempoross: ['Tem'],
  the_gauntlet: ['Gnt'],
  the_corrupted_gauntlet: ['Gnt', 'C'],
  the_hueycoatl: ['Hue'],
  the_leviathan: ['Lev'],
  the_royal_titans: ['RT'],
  the_whisperer: ['Whi'],
  theatre_of_blood: ['ToB'],
  theatre_of_blood_hard_mode: ['ToB', 'HM'],
  thermonuclear_smoke_devil: ['TSD'],
  tombs_of_amascut: ['ToA'],
  tombs_of_amascut_expert: ['ToA', 'EX'],
  tzkal_zuk: ['Zuk'],
  tztok_jad: ['Jad'],
  vardorvis: ['Var'],
  venenatis: ['Ven'],
  vetion: ['Vet'],
  vorkath: ['Vor'],
  wintertodt: ['WT'],
  yama: ['Yam'],
  zalcano: ['Zal'],
  zulrah: ['Zul'],
};

const CREST = 'M16 1.5 29 5v10c0 8-6 13.5-13 15.5C9 28.5 3 23 3 15V5z';

function bossIcon(metric, name) {
  const entry = BOSSES[metric];
  if (entry === undefined) throw new Error(`no monogram for the boss ${metric}`);
  const [letters, variant] = entry;
  const colour = hsl(hash(name) % 360, 50, 34);
  return `<path d="${CREST}" fill="${colour}" stroke="${darker(colour)}"/>${monogram(letters, variant === undefined ? 15 : 13)}${
    variant === undefined ? '' : badge(variant)
  }`;
}

// ---------------------------------------------------------------------------------------------
// Activities: clue scrolls a circle in the tier's colour with "?", the rest a diamond with a monogram

const CLUES = {
  clue_scrolls_all: ['#2f4f7f', 'All'],
  clue_scrolls_beginner: ['#6b6f4a', 'B'],
  clue_scrolls_easy: ['#2e7d3a', 'E'],
  clue_scrolls_medium: ['#1f7a80', 'M'],
  clue_scrolls_hard: ['#6a3d99', 'H'],
  clue_scrolls_elite: ['#9a7417', 'El'],
  clue_scrolls_master: ['#9e2b2b', 'Ma'],
};

const ACTIVITIES = {
  bounty_hunter_hunter: ['BH', 'H'],
  bounty_hunter_rogue: ['BH', 'R'],
  last_man_standing: ['LMS'],
  pvp_arena: ['PvP'],
  soul_wars_zeal: ['SW'],
  guardians_of_the_rift: ['GR'],
  colosseum_glory: ['Col'],
  collections_logged: ['CL'],
};

const DIAMOND = 'M16 1.5 30.5 16 16 30.5 1.5 16z';

function activityIcon(metric, name) {
  const clue = CLUES[metric];
  if (clue !== undefined) {
    const [colour, tier] = clue;
    return `<circle cx="16" cy="16" r="14.5" fill="${colour}" stroke="${darker(colour)}"/>${text('?', { x: 13.5, y: 14, size: 17 })}${badge(tier)}`;
  }
  const entry = ACTIVITIES[metric];
  if (entry === undefined) throw new Error(`no monogram for the activity ${metric}`);
  const [letters, variant] = entry;
  const colour = hsl(hash(name) % 360, 45, 35);
  const size = letters.length >= 3 ? 8.5 : 11;
  return `<path d="${DIAMOND}" fill="${colour}" stroke="${darker(colour)}" stroke-linejoin="round"/>${text(letters, { y: variant === undefined ? 16 : 14, size })}${
    variant === undefined ? '' : badge(variant)
  }`;
}

// ---------------------------------------------------------------------------------------------
// Computed: efficient hours played (an hourglass) and bossed (a clock), on an octagon

const OCTAGON = 'M10.5 1.5h11l9 9v11l-9 9h-11l-9-9v-11z';

const COMPUTED = {
  ehp: [
    '#2d6b5e',
    (bg) =>
      line('M9.5 5.5h13M9.5 26.5h13', 2.2) +
      fill('M11 7h10c0 4.5-3.5 6.5-3.5 9s3.5 4.5 3.5 9H11c0-4.5 3.5-6.5 3.5-9S11 11.5 11 7z') +
      fill('M13.5 9.5h5c-.5 2-2.5 3-2.5 4.5 0-1.5-2-2.5-2.5-4.5z', bg),
  ],
  ehb: [
    '#7a2d3a',
    (bg) => circle(16, 16, 10.5) + line('M16 9.5V16l4.5 3', 2.4, bg) + circle(16, 16, 1.4, bg),
  ],
};

function computedIcon(metric) {
  const entry = COMPUTED[metric];
  if (entry === undefined) throw new Error(`no glyph for the computed metric ${metric}`);
  const [colour, glyph] = entry;
  return `<path d="${OCTAGON}" fill="${colour}" stroke="${darker(colour)}" stroke-linejoin="round"/>${glyph(colour)}`;
}

// ---------------------------------------------------------------------------------------------

function escapeXml(value) {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function icon(info) {
  const body =
    info.kind === 'skill'
      ? skillIcon(info.metric)
      : info.kind === 'boss'
        ? bossIcon(info.metric, info.name)
        : info.kind === 'activity'
          ? activityIcon(info.metric, info.name)
          : computedIcon(info.metric);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32" role="img"><title>${escapeXml(info.name)}</title>${body}</svg>\n`;
}

async function main() {
  const check = process.argv.includes('--check');
  const metricInfo = await loadMetricInfo();
  const expected = new Map(
    Object.values(metricInfo).map((info) => [`${info.metric}.svg`, icon(info)]),
  );
  mkdirSync(ICON_DIR, { recursive: true });
  const present = readdirSync(ICON_DIR);
  const stale = present.filter((file) => !expected.has(file));
  const changed = [...expected].filter(([file, content]) => {
    try {
      return readFileSync(`${ICON_DIR}${file}`, 'utf8') !== content;
    } catch {
      return true;
    }
  });
  if (check) {
    if (stale.length + changed.length > 0) {
      console.error(
        `assets/icons is out of date (${changed.length} to write, ${stale.length} to delete: ${[
          ...changed.map(([file]) => file),
          ...stale,
        ]
          .slice(0, 5)
          .join(', ')}…); run "pnpm --filter @clanstats/dashboard-gen icons".`,
      );
      process.exitCode = 1;
    }
    return;
  }
  for (const file of stale) rmSync(`${ICON_DIR}${file}`);
  for (const [file, content] of changed) writeFileSync(`${ICON_DIR}${file}`, content);
  const total = [...expected.values()].reduce(
    (sum, content) => sum + Buffer.byteLength(content),
    0,
  );
  const largest = Math.max(...[...expected.values()].map((content) => Buffer.byteLength(content)));
  console.log(
    `${expected.size} icons in assets/icons (${changed.length} written, ${stale.length} deleted), ${(total / 1024).toFixed(1)} KB in all, largest ${largest} bytes.`,
  );
}

await main();
