import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  type MantineSize,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { ApiFailure } from '../api/http.ts';

/**
 * Small pieces the admin and account pages share: secondary text with enough contrast, API errors
 * in words (by the field they concern, or in an alert), tables that scroll sideways on a phone,
 * and times as "3 min ago" with the exact time in the title.
 */

export function Muted({ children, size = 'sm' }: { children: ReactNode; size?: MantineSize }) {
  return (
    <Text size={size} c="dimmed">
      {children}
    </Text>
  );
}

/** The words of a failure: the API's own message, or a sentence for anything else. */
export function messageOf(err: unknown): string {
  if (err instanceof ApiFailure) return err.message;
  return err instanceof Error && err.message ? err.message : 'Something went wrong. Try again.';
}

/** Whether the API named `name` (or a part of it: `scopes[1]`, `name.first`) as the field at fault. */
function blames(err: unknown, name: string): boolean {
  if (!(err instanceof ApiFailure) || !err.field) return false;
  const f = err.field;
  return f === name || f.startsWith(`${name}[`) || f.startsWith(`${name}.`);
}

/** The message to show under the field `name`, when the API blamed it. */
export function fieldError(err: unknown, name: string): string | undefined {
  return blames(err, name) ? messageOf(err) : undefined;
}

/**
 * An alert (role="alert") with the failure in words, unless the API blamed one of `fields`: that
 * message is shown next to the field instead.
 */
export function FailureAlert({
  error,
  fields = [],
  title,
}: {
  error: unknown;
  fields?: readonly string[];
  title?: string;
}) {
  if (!error || fields.some((f) => blames(error, f))) return null;
  return (
    <Alert
      color="red"
      variant="light"
      role="alert"
      title={title}
      icon={<IconAlertTriangle size={18} aria-hidden />}
    >
      {messageOf(error)}
    </Alert>
  );
}

/** A table that scrolls sideways (and can be scrolled with the keyboard) below `minWidth`. */
export function ScrollTable({
  label,
  minWidth,
  testId,
  children,
}: {
  label: string;
  minWidth: number;
  testId: string;
  children: ReactNode;
}) {
  return (
    <Table.ScrollContainer minWidth={minWidth} type="native" tabIndex={0} role="region" aria-label={label}>
      <Table striped highlightOnHover verticalSpacing="xs" data-testid={testId}>
        {children}
      </Table>
    </Table.ScrollContainer>
  );
}

/**
 * A secret the API returns once (a token, a generated password): the value, a copy button, and
 * the plain warning that it will not be shown again.
 */
export function ShownOnce({
  label,
  value,
  testId,
  note,
}: {
  label: string;
  value: string;
  testId: string;
  note: ReactNode;
}) {
  return (
    <Stack gap="xs">
      <Text size="sm" fw={600}>
        {label}
      </Text>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <Code
          block
          data-testid={testId}
          style={{ flex: 1, minWidth: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
        >
          {value}
        </Code>
        <CopyButton value={value} timeout={2000}>
          {({ copied, copy }) => (
            <Button
              variant="default"
              leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
              onClick={copy}
            >
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} aria-hidden />}>
        {note}
      </Alert>
    </Stack>
  );
}

/** A state (a phase, an outcome, a role): its word in body colours, its colour as a dot. */
export function StatusBadge({
  color,
  children,
  testId,
}: {
  color: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Badge
      variant="dot"
      color={color}
      // Never cut: a badge's word is the whole point of it.
      style={{ flexShrink: 0, maxWidth: 'none', overflow: 'visible' }}
      styles={{ label: { textTransform: 'none', overflow: 'visible' } }}
      data-testid={testId}
    >
      {children}
    </Badge>
  );
}
