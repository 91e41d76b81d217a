import { describe, expect, it } from 'vitest';
import { parseEventBlocks } from './http';

describe('parseEventBlocks', () => {
  it('splits data blocks, skips comments and keeps an unfinished block', () => {
    const { events, rest } = parseEventBlocks(
      ': keepalive\n\ndata: {"a":1}\n\ndata: {"b":\ndata: 2}\r\n\r\ndata: {"c"',
    );
    expect(events).toEqual(['{"a":1}', '{"b":\n2}']);
    expect(rest).toBe('data: {"c"');
  });
  it('joins chunks that split a block anywhere', () => {
    const text = 'data: {"x":1}\n\ndata: {"y":2}\n\n';
    for (let cut = 0; cut <= text.length; cut++) {
      const first = parseEventBlocks(text.slice(0, cut));
      const second = parseEventBlocks(first.rest + text.slice(cut));
      expect([...first.events, ...second.events]).toEqual(['{"x":1}', '{"y":2}']);
    }
  });
});
