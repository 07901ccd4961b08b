/**
 * Message text, derived on demand from a seed (never stored). Questions either end with `?` or
 * start with a question word; nothing else does either (tests check every template).
 */
import type { Random } from '../random.js';

/** Words a question may start with; statements never start with one of these. */
export const QUESTION_WORDS = [
  'how',
  'what',
  'where',
  'when',
  'why',
  'who',
  'which',
  'whose',
  'whom',
  'anyone',
  'anybody',
  'any',
  'can',
  'could',
  'would',
  'should',
  'will',
  'shall',
  'do',
  'does',
  'did',
  'is',
  'are',
  'was',
  'were',
  'am',
  'has',
  'have',
  'had',
  'may',
  'might',
  'must',
  'isnt',
  'arent',
  'dont',
  'doesnt',
  'didnt',
  'cant',
  'wont',
] as const;

const BOSSES = [
  'Zulrah',
  'Vorkath',
  'the Nightmare',
  'Corp',
  'Cerberus',
  'the Gauntlet',
  'Hydra',
  'Nex',
  'Muspah',
  'Vardorvis',
  'Duke',
  'the Leviathan',
  'Whisperer',
  'GWD',
  'Sarachnis',
  'Tempoross',
  'Wintertodt',
  'Barrows',
  'Jad',
  'Zuk',
];
const RAIDS = ['CoX', 'ToB', 'ToA', 'Chambers', 'Theatre', 'Tombs', 'CMs', 'HMT', 'expert ToA'];
const SKILLS = [
  'Agility',
  'Slayer',
  'Runecraft',
  'Herblore',
  'Construction',
  'Farming',
  'Hunter',
  'Fishing',
  'Mining',
  'Woodcutting',
  'Thieving',
  'Prayer',
  'Sailing',
  'Smithing',
  'Magic',
  'Ranged',
];
const ITEMS = [
  'Twisted bow',
  'Abyssal whip',
  'Dragon warhammer',
  'Tumeken shadow',
  'Scythe of vitur',
  'Bandos chestplate',
  'Zenyte shard',
  'Dragon pickaxe',
  'Pet snakeling',
  'Tanzanite fang',
  'Ancestral hat',
  'Fang',
  'Voidwaker hilt',
  'Dragonbone necklace',
  'Imbued heart',
  'Crystal armour seed',
  'Eternal crystal',
  'Tormented synapse',
  'Venator shard',
  'Blood shard',
];
const QUESTS = [
  'Song of the Elves',
  'Desert Treasure II',
  'Monkey Madness II',
  'Dragon Slayer II',
  'Recipe for Disaster',
  'Sins of the Father',
  'While Guthix Sleeps',
  'Lunar Diplomacy',
];
const PLACES = [
  'GE',
  'Ferox',
  'the bank',
  'Prif',
  'Varrock',
  'Lumby',
  'world 330',
  'the clan hall',
];
const NAMES = ['mate', 'lads', 'all', 'guys', 'team', 'folks', 'everyone', 'fam'];

type Filler = (random: Random) => string;
const fill: Record<string, Filler> = {
  boss: (random) => random.pick(BOSSES),
  raid: (random) => random.pick(RAIDS),
  skill: (random) => random.pick(SKILLS),
  item: (random) => random.pick(ITEMS),
  quest: (random) => random.pick(QUESTS),
  place: (random) => random.pick(PLACES),
  name: (random) => random.pick(NAMES),
  n: (random) => String(random.int(2, 99)),
  kc: (random) => String(random.int(5, 1500)),
  level: (random) => String(random.int(60, 99)),
  gp: (random) => `${random.int(1, 900)}${random.pick(['k', 'm', 'm', 'm'])}`,
};

/** Templates split into literal and placeholder parts once (odd indices are placeholders). */
const compiled = new Map<string, readonly string[]>();

function render(random: Random, template: string): string {
  let parts = compiled.get(template);
  if (parts === undefined) {
    parts = template.split(/\{(\w+)\}/);
    compiled.set(template, parts);
  }
  let text = parts[0] ?? '';
  for (let index = 1; index < parts.length; index += 2) {
    const key = parts[index] ?? '';
    text += (fill[key]?.(random) ?? `{${key}}`) + (parts[index + 1] ?? '');
  }
  return text;
}

const STATEMENTS: Record<string, readonly string[]> = {
  general: [
    'gm {name}',
    'gn {name}, cya tomorrow',
    'lol',
    'haha nice one',
    'gz!!',
    'finally got {level} {skill}',
    'brb dinner',
    'just logged in, {place} is packed',
    'grinding {skill} again, send help',
    'ty for the help earlier',
    'gl on the grind {name}',
    'new clan hall looks sick',
    'my internet keeps dropping today',
    'big gz on the max cape',
    'still no {item} after {kc} kc',
    'finished {quest} finally',
    'been afk all day at {place}',
    'nice drop',
    'that was a close one',
    'rip my bank',
    'hopping on in 10',
    'same here',
    'ok heading out, later {name}',
    'agreed',
    'true',
    'wildy was wild today',
    'got pked with {gp} on me',
    'spent {gp} on supplies this week',
    'clan event tonight, be there',
    'new personal best on {boss}',
  ],
  pvm: [
    'lf {raid} team tonight',
    '{raid} mass at 8, join the cc',
    '{kc} kc {boss} and still dry',
    'got {item} from {boss}!!',
    'my {boss} pb is down to {n}:{n}',
    'need 2 more for {raid}',
    'gear check for {boss} in a sec',
    'doing {boss} learners later',
    'spec transfer ready',
    'death at {boss} again, ugh',
    'good raid team, ty all',
    'scaling {raid} for 4 tonight',
    'bring a {item} if you got one',
    'green log on {boss} soon',
    'rolled {item} after {kc} kc',
  ],
  voice: [
    'brb',
    'mic is broken sorry',
    'sorry, cant hear you',
    'one sec, muting',
    'joining voice in 5',
    'lag spike lol',
    'you cut out there',
    'back',
  ],
  staff: [
    'recruit {name} passed the trial',
    'promoting next week',
    'updated the ranks sheet',
    'event plan for the weekend is in the doc',
    'clan cup sign ups close friday',
    'removed two inactive members',
    'new applicant in the forms',
  ],
  media: [
    'look at this drop',
    'my new setup',
    'finally!!',
    'clan photo from the event',
    'fashionscape of the week',
    'max cape day',
  ],
};
STATEMENTS.help = STATEMENTS.general ?? [];
STATEMENTS.chat = STATEMENTS.general ?? [];
STATEMENTS.thread = STATEMENTS.pvm ?? [];
STATEMENTS.post = STATEMENTS.general ?? [];
STATEMENTS.announcements = STATEMENTS.staff ?? [];

/** Questions ending with `?` (and possibly also starting with a question word). */
const MARKED_QUESTIONS = [
  'anyone up for {raid}?',
  'what gear for {boss}?',
  'how long does {quest} take?',
  'best way to train {skill}?',
  'who is doing {boss} tonight?',
  'is {item} worth buying at {gp}?',
  'where do I find {boss}?',
  'anyone got a spare {item}?',
  'when is the next clan event?',
  'why is {skill} so slow?',
  'can someone help me with {quest}?',
  'does {item} work at {boss}?',
  '{raid} or {raid} tonight?',
  'thoughts on {item} for {boss}?',
  'learner {raid} this weekend?',
  'which slayer master should I use?',
  'should I buy {item} or {item}?',
];
/** Questions without `?` that start with a question word. */
const UNMARKED_QUESTIONS = [
  'how do I get to {boss}',
  'what level {skill} do you need for {quest}',
  'anyone free for {raid}',
  'where do you buy {item}',
  'is {raid} running tonight',
  'how much is {item} now',
  'can anyone carry me through {quest}',
  'who wants to duo {boss}',
];
const ANSWERS = [
  'try the wiki, it has a great guide',
  'bring {item}, makes it way easier',
  'yeah I can help in 10',
  'go with {item} honestly',
  'you need {level} {skill} for that',
  'took me about {n} mins',
  'I would do {boss} first',
  'check the pinned guide in {place}',
  'sure, join the cc',
  'it depends on your stats tbh',
  'no idea sorry',
  'just do slayer, {boss} task is great',
  'yep, hop on world {n}',
  'buy it, worth every gp',
];
const REPLIES = [
  'lol yes',
  'same',
  'true',
  'gz!',
  'nice one',
  'haha',
  'agreed 100%',
  'oof',
  'ty',
  'gl!',
  'that is so good',
  'big',
  'rip',
];
const PVM_THREADS = [
  '{raid} learners',
  '{boss} duo finder',
  '{raid} team tonight',
  '{boss} pb attempts',
  'Gear advice: {boss}',
  '{item} hunt',
  'Clan {raid} night',
  '{boss} splits',
];
const QUESTION_TITLES = [
  'How do I beat {boss}?',
  'Best {skill} training method?',
  'Which gear for {raid}?',
  'Is {item} worth it?',
  'Help with {quest}?',
  'How do I unlock {quest}',
  'What should I do next?',
  'Where to train {skill} after {level}',
  'Anyone have a {raid} guide?',
  'Stuck on {quest}, any tips?',
];
const STATEMENT_TITLES = [
  'Guide: {boss} for beginners',
  'My road to {level} {skill}',
  '{raid} strategy notes',
  'Rank up requirements',
  'Clan events schedule',
  'Useful {skill} tips',
];
const POST_BODIES = [
  'been trying for a week now, {kc} kc so far. my stats are {level}s across the board',
  'posting this so new members have it: start with {quest}, then {skill} to {level}',
  'here is what worked for me: {item} plus a lot of patience',
  'I keep dying at the same phase, {item} did not help',
];
const CAPTIONS = [
  'finally got it',
  'look at this',
  'my new setup',
  'fashionscape time',
  'clan photo',
  'big drop',
];
const BROADCASTS = [
  'received a drop: {item} ({gp} coins).',
  'received a new collection log item: {item} ({n}/1568)',
  'has reached {skill} level {level}.',
  'has completed a quest: {quest}',
  'has defeated {boss} with a completion count of {kc}.',
  'received a clue item: {item} ({gp} coins).',
];
const EVENT_POSTS = [
  '**Skill of the Week**: {skill}! Starts Monday, top 3 win {gp}.',
  '**Boss of the Week**: {boss}. Sign up in the pinned post.',
  '**Clan {raid} night** this Saturday, 20:00 server time.',
  '**Bingo** starts next week, teams posted soon.',
];
const STAFF_ANNOUNCEMENTS = [
  'New rank requirements are up in the rules channel.',
  'Welcome to all our new members this month!',
  'Clan cup results: congrats to everyone who joined.',
  'Server maintenance tonight, bots may be offline.',
  'The clan hall has moved, see the pinned message.',
];

/** A statement for a channel topic (never a question). */
export function statementText(random: Random, topic: string): string {
  return render(random, random.pick(STATEMENTS[topic] ?? STATEMENTS.general ?? []));
}

/** A question (ends with `?` or starts with a question word). */
export function questionText(random: Random, topic: string): string {
  const pool = random.chance(0.7) ? MARKED_QUESTIONS : UNMARKED_QUESTIONS;
  const text = render(random, random.pick(pool));
  return topic === 'pvm' && random.chance(0.3)
    ? text.replace(/^./, (first) => first.toUpperCase())
    : text;
}

/** An answer to a question (never a question itself). */
export function answerText(random: Random): string {
  return render(random, random.pick(ANSWERS));
}

/** A short reply to a statement. */
export function replyText(random: Random): string {
  return render(random, random.pick(REPLIES));
}

/** A thread name in `#pvm` (never a question). */
export function threadName(random: Random): string {
  return render(random, random.pick(PVM_THREADS));
}

/** A forum post title; a question title when `question`. */
export function forumTitle(random: Random, question: boolean): string {
  return render(random, random.pick(question ? QUESTION_TITLES : STATEMENT_TITLES));
}

/** The text of a forum post's starter message (a question when `question`). */
export function postBody(random: Random, question: boolean): string {
  return question ? questionText(random, 'help') : render(random, random.pick(POST_BODIES));
}

/** A media post caption. */
export function captionText(random: Random): string {
  return render(random, random.pick(CAPTIONS));
}

/** The part of a broadcast line after `**RSN** `. */
export function broadcastText(random: Random): string {
  return render(random, random.pick(BROADCASTS));
}

/** An event bot announcement. */
export function eventText(random: Random): string {
  return render(random, random.pick(EVENT_POSTS));
}

/** A staff announcement. */
export function announcementText(random: Random): string {
  return render(random, random.pick(STAFF_ANNOUNCEMENTS));
}

/** A weekly-gains webhook post. */
export function gainsText(random: Random): string {
  return render(random, `Weekly top gainer: {skill} +{gp} xp. Full results on Wise Old Man.`);
}

/** A drop-tracker webhook post. */
export function dropText(random: Random): string {
  return render(random, `New drop: {item} from {boss} ({gp})`);
}

/** A moderation bot's log line (in an embed). */
export function logText(random: Random): string {
  return render(
    random,
    random.pick(['Message deleted in #general', 'Member updated nickname', 'Role added: Verified']),
  );
}

/** The raw template lists, for tests that check the question rules hold for every template. */
export const TEMPLATES = {
  statements: Object.values(STATEMENTS).flat(),
  markedQuestions: MARKED_QUESTIONS,
  unmarkedQuestions: UNMARKED_QUESTIONS,
  answers: ANSWERS,
  replies: REPLIES,
  threadNames: PVM_THREADS,
  questionTitles: QUESTION_TITLES,
  statementTitles: STATEMENT_TITLES,
  postBodies: POST_BODIES,
  captions: CAPTIONS,
  broadcasts: BROADCASTS,
} as const;
