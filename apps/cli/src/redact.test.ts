import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from './redact.js';

describe('Redactor', () => {
  const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.abcdefghijklmnopqrstuvwxyz0123';
  const redactor = Redactor.fromEnv({
    DISCORD_TOKEN: token,
    WOM_API_KEY: 'wom-key-12345',
    WOM_GROUP_SECRET: '123-456-789',
    WOM_GROUP_ID: '11114',
  });

  it('removes the secret values, and only those', () => {
    expect(redactor.redact(`token=${token} key=wom-key-12345 code 123-456-789 group 11114`)).toBe(
      `token=${REDACTED} key=${REDACTED} code ${REDACTED} group 11114`,
    );
  });

  it('removes URL-encoded secrets', () => {
    const withSpecials = new Redactor(['p@ss/word+1']);
    expect(withSpecials.redact('GET /x?code=p%40ss%2Fword%2B1')).toBe(`GET /x?code=${REDACTED}`);
  });

  it('removes credential-shaped text whatever the value', () => {
    const plain = new Redactor();
    expect(plain.redact('Authorization: Bot aaaaaaaaaaaaaaaaaaaaaaaa.bbbbbb.cccc')).toBe(
      `Authorization: Bot ${REDACTED}`,
    );
    expect(plain.redact('{"x-api-key":"abc123","accept":"json"}')).toBe(
      `{"x-api-key":"${REDACTED}","accept":"json"}`,
    );
    expect(plain.redact('x-api-key: abc123')).toBe(`x-api-key: ${REDACTED}`);
    expect(plain.redact(`leaked ${token} here`)).toBe(`leaked ${REDACTED} here`);
    expect(plain.redact('{"verificationCode":"111-222-333"}')).toBe(
      `{"verificationCode":"${REDACTED}"}`,
    );
  });

  it('leaves ordinary text alone', () => {
    const plain = new Redactor(['', undefined, 'ab']);
    expect(plain.redact('Bot started; about 3 bots')).toBe('Bot started; about 3 bots');
  });
});
