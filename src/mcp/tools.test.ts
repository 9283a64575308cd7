import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../client/failure.ts';
import { errorResult, ToolRefusal, tools } from './tools.ts';

describe('MCP errors an agent can act on', () => {
  it('a limit refusal names the limit and when to retry', () => {
    const f = new ApiFailure(
      429,
      'too_many_provisioning',
      '3 of your stores are provisioning.',
      {
        limit: 'stores provisioning at once',
        max: 3,
        retryAfterSeconds: 30,
      },
      'req-1',
      30,
    );
    expect(errorResult(f)).toEqual({
      code: 'too_many_provisioning',
      message: '3 of your stores are provisioning.',
      status: 429,
      limit: 'stores provisioning at once',
      retryAfterSeconds: 30,
      details: { limit: 'stores provisioning at once', max: 3, retryAfterSeconds: 30 },
    });
  });
  it('a refusal of the tool itself keeps its code', () => {
    expect(errorResult(new ToolRefusal('confirmation_required', 'Say it twice.'))).toEqual({
      code: 'confirmation_required',
      message: 'Say it twice.',
    });
  });
  it('anything else is internal, in words', () => {
    expect(errorResult(new Error('boom'))).toEqual({ code: 'internal', message: 'boom' });
  });
});

describe('the tools', () => {
  it('each has an object input schema without extra properties, and annotations', () => {
    for (const t of tools) {
      const schema = t.inputSchema as { type?: string; additionalProperties?: boolean };
      expect(schema.type).toBe('object');
      expect(schema.additionalProperties).toBe(false);
      expect(t.annotations.readOnlyHint ?? t.annotations.destructiveHint).toBeDefined();
    }
  });
  it('only delete_store is destructive', () => {
    expect(tools.filter((t) => t.annotations.destructiveHint).map((t) => t.name)).toEqual(['delete_store']);
  });
});
