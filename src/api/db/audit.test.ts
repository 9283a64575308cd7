import { describe, expect, it } from 'vitest';
import { AUDIT_PAGE_MAX, auditPageSize, toAuditRow } from './audit.ts';

describe('auditPageSize', () => {
  it('keeps sizes in range and caps the rest', () => {
    expect(auditPageSize(50)).toBe(50);
    expect(auditPageSize(AUDIT_PAGE_MAX + 1)).toBe(AUDIT_PAGE_MAX);
    expect(auditPageSize(0)).toBe(1);
    expect(auditPageSize(-3)).toBe(1);
    expect(auditPageSize(2.7)).toBe(2);
    expect(auditPageSize(Number.NaN)).toBe(AUDIT_PAGE_MAX);
    expect(auditPageSize(Number.POSITIVE_INFINITY)).toBe(AUDIT_PAGE_MAX);
  });
});

describe('toAuditRow', () => {
  it('parses details and makes the id a number', () => {
    const row = toAuditRow({
      id: '7' as unknown as number,
      time: '2026-12-06T07:41:08.123Z',
      actor_id: 'u1',
      actor: 'alice',
      action: 'store.create',
      target: 'shop',
      outcome: 'success',
      status: 201,
      ip: null,
      request_id: 'r1',
      details: '{"engine":"medusa"}',
    });
    expect(row.id).toBe(7);
    expect(row.details).toEqual({ engine: 'medusa' });
  });
});
