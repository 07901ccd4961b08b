import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { millisToSnowflake, openStore } from '@clanstats/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempFolder, runCli, type TempFolder } from './test-harness.js';

const GUILD = '300000000000000001';
const PVM = '100000000000000001'; // nickname "[PvM] Zezima": contested with ZEZ
const ZEZ = '100000000000000002'; // username "zezima"
const BOAT = '100000000000000003'; // display name "b0aty": linked automatically
const MIKE = '100000000000000004'; // nickname "Iron Mike": ambiguous (4 now, 5 before)
const QUIET = '100000000000000005'; // username "quiet_one": matches nobody

let folder: TempFolder;
let database: string;

beforeEach(async () => {
  folder = createTempFolder();
  database = folder.file('clan_data.db');
  const store = openStore(database);
  try {
    await store.migrations.up();
    const at = Date.now() - 10 * 86_400_000;
    store.wom.upsertGroup({ id: 100, name: 'Clan' }, at);
    const names = ['Zezima', 'Lynx Titan', 'B0aty', 'Iron Mike', 'Mike Reborn'];
    store.wom.upsertPlayers(
      names.map((name, index) => ({
        id: index + 1,
        username: name.toLowerCase(),
        displayName: name,
      })),
      at,
    );
    store.wom.upsertNameChanges([
      {
        id: 1,
        playerId: 5,
        oldName: 'Iron Mike',
        newName: 'Mike Reborn',
        status: 'approved',
        createdAt: at,
      },
    ]);
    store.wom.syncMemberships(
      100,
      names.map((_, index) => ({ playerId: index + 1, role: 'member', joinedAt: at })),
      at,
    );
    store.discord.upsertGuild({ id: GUILD, name: 'Clan' }, at);
    store.discord.upsertUsers(
      [
        { id: PVM, username: 'pvm_guy' },
        { id: ZEZ, username: 'zezima' },
        { id: BOAT, username: 'boat', globalName: 'b0aty' },
        { id: MIKE, username: 'mike' },
        { id: QUIET, username: 'quiet_one' },
      ],
      at,
    );
    store.discord.upsertMembers(GUILD, [
      { userId: PVM, nickname: '[PvM] Zezima' },
      { userId: MIKE, nickname: 'Iron Mike' },
    ]);
    const now = Date.now();
    let sequence = 0n;
    const message = (authorId: string, daysAgo: number) => ({
      id: (BigInt(millisToSnowflake(now - daysAgo * 86_400_000)) + (sequence += 1n)).toString(),
      channelId: '400000000000000001',
      authorId,
    });
    store.discord.insertMessages([
      message(PVM, 1),
      message(PVM, 2),
      message(PVM, 3),
      message(MIKE, 1),
      message(MIKE, 2),
      message(QUIET, 20),
      message(BOAT, 1),
      message(ZEZ, 40), // older than 30 days
    ]);
    store.identity.refreshAutomaticLinks();
  } finally {
    store.close();
  }
});
afterEach(() => {
  folder.remove();
});

function links(): Array<[string, number, string]> {
  const store = openStore(database, { readonly: true });
  try {
    return store.identity
      .listLinks()
      .map((link) => [link.discordUserId, link.playerId, link.source]);
  } finally {
    store.close();
  }
}

const cli = (args: string[]) =>
  runCli(['link', ...args], { cwd: folder.path, env: { CLANSTATS_DB: database } });

const linksFile = (): unknown =>
  JSON.parse(readFileSync(folder.file('clanstats.links.json'), 'utf8')) as unknown;

describe('clanstats link', () => {
  it('lists unmatched authors with exact candidates and the command to link them', async () => {
    const result = await cli(['--unmatched']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      '3 Discord members wrote in the last 30 days but are linked to no RuneScape name:',
    );
    expect(result.stdout).toContain('@pvm_guy ([PvM] Zezima): 3 messages, last ');
    expect(result.stdout).toContain(`      Zezima:  clanstats link ${PVM} Zezima`);
    expect(result.stdout).toContain('their names match several members; pick one');
    expect(result.stdout).toContain(`      Iron Mike:  clanstats link ${MIKE} "Iron Mike"`);
    expect(result.stdout).toContain(
      `      Mike Reborn (formerly Iron Mike):  clanstats link ${MIKE} "Mike Reborn"`,
    );
    expect(result.stdout).toContain(`      clanstats link ${QUIET} "<RuneScape name>"`);
    // @pvm_guy first (most messages); @zezima wrote too long ago.
    expect(result.stdout.indexOf('@pvm_guy')).toBeLessThan(result.stdout.indexOf('@mike'));
    expect(result.stdout).not.toContain('@zezima');
    const week = await cli(['--unmatched', '--days', '7']);
    expect(week.stdout).toContain('2 Discord members wrote in the last 7 days');
  });

  it('links by hand into clanstats.links.json, lists, and removes', async () => {
    const added = await cli(['@PVM_GUY', 'zezima']);
    expect(added.code).toBe(0);
    expect(added.output).toContain('Linked @pvm_guy ([PvM] Zezima) to Zezima (created ');
    expect(linksFile()).toMatchObject({
      $comment: expect.stringContaining('clanstats link') as string,
      links: [{ discord: PVM, rsn: 'Zezima', note: '@pvm_guy ([PvM] Zezima)' }],
    });
    expect(links()).toEqual([
      [PVM, 1, 'manual'],
      [BOAT, 3, 'nickname'],
    ]);
    const again = await cli([PVM, 'Zezima']);
    expect(again.output).toContain('is already linked to Zezima');

    const list = await cli(['--list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('Linked (2):');
    expect(list.stdout).toMatch(/@pvm_guy \(\[PvM\] Zezima\) +→ {2}Zezima {2}\(by hand\)/);
    expect(list.stdout).toMatch(/@boat \(b0aty\) +→ {2}B0aty {2}\(automatic \(name match\)\)/);

    // An automatic link removed: a "not linked" entry keeps it from coming back.
    const removedAutomatic = await cli(['--remove', '@boat']);
    expect(removedAutomatic.code).toBe(0);
    expect(removedAutomatic.output).toContain('@boat (b0aty) is now marked as not B0aty in ');
    expect(linksFile()).toMatchObject({ notLinked: [{ discord: BOAT, rsn: 'B0aty' }] });
    expect(links()).toEqual([[PVM, 1, 'manual']]);
    const listed = await cli(['--list']);
    expect(listed.stdout).toContain('Not linked (1):\n  @boat (b0aty)  is not  B0aty');

    const removedManual = await cli(['--remove', PVM, 'Zezima']);
    expect(removedManual.code).toBe(0);
    expect(removedManual.output).toContain('Removed 1 link of @pvm_guy ([PvM] Zezima) and Zezima');
    expect(linksFile()).toMatchObject({ links: [] });
    expect(links()).toEqual([]);
    const nothing = await cli(['--remove', '@quiet_one']);
    expect(nothing.output).toContain('had no link to remove; nothing changed');
  });

  it('applies a file edited by hand; unresolved entries are warnings, not errors', async () => {
    writeFileSync(
      folder.file('clanstats.links.json'),
      JSON.stringify({
        links: [
          { discord: 'Iron Mike', rsn: 'mike-reborn' },
          { discord: '@somebody_new', rsn: 'Lynx Titan' },
        ],
        notLinked: [{ discord: '@boat' }],
      }),
    );
    const result = await cli([]);
    expect(result.code).toBe(0);
    expect(result.output).toContain('Applied ');
    expect(result.output).toContain(
      'Not applied: clanstats.links.json links[1] ("@somebody_new" → "Lynx Titan"): no Discord user with the username @somebody_new has been harvested yet',
    );
    expect(result.output).toContain(
      'Links now: 1 by hand, 0 automatic (0 new, 1 removed), 1 "not linked" entry.',
    );
    expect(links()).toEqual([[MIKE, 5, 'manual']]);
    // The file is left as the leader wrote it.
    expect(linksFile()).toMatchObject({
      links: [{ discord: 'Iron Mike' }, { discord: '@somebody_new' }],
    });
  });

  it('reads clanstats.links.csv and edits it in place', async () => {
    writeFileSync(
      folder.file('clanstats.links.csv'),
      '# our links\naction,discord,rsn,note\nlink,@mike,Iron Mike,"the ""real"" one"\n',
    );
    const added = await cli(['@pvm_guy', 'Zezima']);
    expect(added.code).toBe(0);
    expect(readFileSync(folder.file('clanstats.links.csv'), 'utf8')).toBe(
      `# our links\naction,discord,rsn,note\nlink,@mike,Iron Mike,"the ""real"" one"\nlink,${PVM},Zezima,@pvm_guy ([PvM] Zezima)\n`,
    );
    expect(existsSync(folder.file('clanstats.links.json'))).toBe(false);
    expect(links()).toEqual([
      [PVM, 1, 'manual'],
      [BOAT, 3, 'nickname'],
      [MIKE, 4, 'manual'],
    ]);
  });

  it.each([
    [
      ['@nobody', 'Zezima'],
      'USAGE: Cannot tell which Discord user "@nobody" is: no Discord user with the username @nobody has been harvested yet',
    ],
    [['@pvm_guy', 'Zez'], 'RuneScape names starting with "Zez": Zezima.'],
    [['@pvm_guy', 'ezima'], 'no clan member (current or former) has the RuneScape name "ezima"'],
    [['--list', '--unmatched'], 'USAGE: Use only one of --list, --unmatched.'],
    [['--days', '3'], 'USAGE: --days only applies to "clanstats link --unmatched".'],
    [['--unmatched', '--days', 'x'], "USAGE: --days must be a whole number of 1 or more, got 'x'."],
    [['@pvm_guy'], 'USAGE: Give a Discord user and a RuneScape name'],
    [['--remove'], 'USAGE: Give the Discord user whose link to remove'],
  ])('clanstats link %j fails with exit 2', async (args, message) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.output).toContain(message);
    expect(existsSync(folder.file('clanstats.links.json'))).toBe(false);
  });

  it('stops on an invalid links file, or on two of them, naming the file', async () => {
    writeFileSync(
      folder.file('clanstats.links.json'),
      JSON.stringify({ links: [{ discord: '123', rsn: 'Zezima' }] }),
    );
    const invalid = await cli([]);
    expect(invalid.code).toBe(2);
    expect(invalid.output).toContain(
      'CONFIG_INVALID: clanstats.links.json: links[0].discord: looks like a Discord user id but has 3 digits',
    );
    writeFileSync(folder.file('clanstats.links.json'), '{}');
    writeFileSync(folder.file('clanstats.links.csv'), 'discord,rsn\n');
    const both = await cli(['--remove', '@boat']);
    expect(both.code).toBe(2);
    expect(both.output).toMatch(
      /Both .*clanstats\.links\.json and .*clanstats\.links\.csv exist; keep only one/,
    );
    // Nothing was applied.
    expect(links()).toEqual([[BOAT, 3, 'nickname']]);
  });
});
