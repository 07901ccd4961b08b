import schema from '../schema/clan-data.v1.schema.json';

/**
 * The JSON Schema (draft 2020-12) of `clan_data.json` v1 ({@link ClanDataV1}). The same document
 * ships as `@clanstats/clan-model/schema/clan-data.v1.schema.json` for tools in other languages.
 */
export const clanDataSchema: object = schema;
