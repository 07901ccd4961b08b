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

  it("removes DISCORD_WEBHOOK_URL, its token alone, and any webhook URL's token", () => {
    const token = 'HBLhjRjh3uArmVh4DGFvBpvQSy4NnQ_pqANLxZZ1xLPYZ6dGBEIsm8WU';
    const url = `https://discord.com/api/webhooks/1496549660536699244/${token}`;
    const webhook = Redactor.fromEnv({ DISCORD_WEBHOOK_URL: url });
    expect(webhook.redact(`posting to ${url}?wait=true`)).toBe(`posting to ${REDACTED}?wait=true`);
    expect(webhook.redact(`token ${token} alone`)).toBe(`token ${REDACTED} alone`);
    expect(webhook.redact(`.../webhooks/1496549660536699244/${token.slice(0, 30)}`)).toBe(
      `.../webhooks/1496549660536699244/${REDACTED}`,
    );
    expect(webhook.redact(encodeURIComponent(url))).toBe(REDACTED);
    // Whatever the value: another webhook's URL, and the client's own redacted form stays.
    const plain = new Redactor();
    expect(plain.redact('http://127.0.0.1:4000/api/v10/webhooks/123/abcdefghij-KLMN')).toBe(
      `http://127.0.0.1:4000/api/v10/webhooks/123/${REDACTED}`,
    );
    expect(plain.redact('https://discord.com/api/webhooks/123/***')).toBe(
      'https://discord.com/api/webhooks/123/***',
    );
  });

  it('leaves ordinary text alone', () => {
    const plain = new Redactor(['', undefined, 'ab']);
    expect(plain.redact('Bot started; about 3 bots')).toBe('Bot started; about 3 bots');
  });
});
