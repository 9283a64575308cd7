import type { InputHTMLAttributes } from 'react';

/** A labelled input whose error is announced and tied to it (aria-invalid, aria-describedby). */
export function Field(
  props: { label: string; name: string; error?: string | undefined } & InputHTMLAttributes<HTMLInputElement>,
) {
  const { label, name, error, ...input } = props;
  const id = `field-${name}`;
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        aria-invalid={!!error}
        aria-describedby={error ? `${id}-error` : undefined}
        {...input}
      />
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
