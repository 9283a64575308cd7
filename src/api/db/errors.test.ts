import { describe, expect, it } from 'vitest';
import { isUniqueViolation, UsernameTakenError } from './errors.ts';

describe('isUniqueViolation', () => {
  it('knows both backends', () => {
    expect(isUniqueViolation(Object.assign(new Error('dup'), { code: '23505' }))).toBe(true);
    expect(isUniqueViolation(Object.assign(new Error('dup'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }))).toBe(
      true,
    );
    expect(isUniqueViolation(Object.assign(new Error('dup'), { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' }))).toBe(
      true,
    );
  });

  it('is false for other failures and non-errors', () => {
    expect(isUniqueViolation(Object.assign(new Error('fk'), { code: '23503' }))).toBe(false);
    expect(isUniqueViolation(Object.assign(new Error('fk'), { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' }))).toBe(
      false,
    );
    expect(isUniqueViolation(new Error('plain'))).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
    expect(isUniqueViolation('23505')).toBe(false);
  });
});

describe('UsernameTakenError', () => {
  it('names the username', () => {
    const err = new UsernameTakenError('alice');
    expect(err.message).toBe('username "alice" is taken');
    expect(err.username).toBe('alice');
    expect(err).toBeInstanceOf(Error);
  });
});
