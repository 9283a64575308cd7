import type { ReactNode } from 'react';

export function Loading({ label }: { label: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function Notice(props: { kind: 'error' | 'info'; title?: string; children: ReactNode }) {
  return (
    <div className={`notice notice-${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.title && <strong>{props.title}</strong>}
      <p>{props.children}</p>
    </div>
  );
}

export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
