import { describe, expect, it } from 'vitest';
import { ProgressRenderer } from './progress.js';

function harness(interactive: boolean): {
  renderer: ProgressRenderer;
  written: string[];
  lines: string[];
} {
  const written: string[] = [];
  const lines: string[] = [];
  const renderer = new ProgressRenderer({
    interactive,
    stream: { write: (text: string) => written.push(text), columns: 80 },
    log: (tag, message) => lines.push(`[${tag}] ${message}`),
  });
  return { renderer, written, lines };
}

describe('ProgressRenderer', () => {
  it('prints a plain line every tenth of the way when not on a terminal', () => {
    const { renderer, written, lines } = harness(false);
    for (let current = 0; current <= 100; current += 1) {
      renderer.update('harvest', { event: 'progress', label: 'members', current, total: 100 });
    }
    expect(written).toEqual([]);
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe('[harvest] members: 0/100 (0%)');
    expect(lines[5]).toBe('[harvest] members: 50/100 (50%)');
    expect(lines[10]).toBe('[harvest] members: 100/100 (100%) done');
  });

  it('redraws a bar on a terminal and logs only the end', () => {
    const { renderer, written, lines } = harness(true);
    renderer.update('harvest', { event: 'progress', label: 'members', current: 1, total: 4 });
    renderer.update('harvest', { event: 'progress', label: 'members', current: 2, total: 4 });
    expect(written).toHaveLength(2);
    expect(written[1]).toContain('[harvest] members ████████████░░░░░░░░░░░░ 50% 2/4');
    expect(written[1]?.startsWith('\r\u001B[2K')).toBe(true);
    renderer.update('harvest', { event: 'progress', label: 'members', current: 4, total: 4 });
    expect(written.at(-1)).toBe('\r\u001B[2K');
    expect(lines).toEqual(['[harvest] members: 4/4 (100%) done']);
    renderer.clear();
    expect(written.at(-1)).toBe('\r\u001B[2K');
    expect(written.filter((text) => text === '\r\u001B[2K')).toHaveLength(1);
  });

  it('handles an empty total', () => {
    const { renderer, lines } = harness(false);
    renderer.update('export', { event: 'progress', label: 'files', current: 0, total: 0 });
    expect(lines).toEqual(['[export] files: 0/0 (100%) done']);
  });
});
