/** A labelled text field with its validation message right under it (and tied to it for screen readers). */
import type { InputHTMLAttributes } from 'preact';

export function Field(props: {
  id: string;
  label: string;
  value: string;
  error: string | null;
  hint?: string;
  onInput: (value: string) => void;
  inputProps?: InputHTMLAttributes<HTMLInputElement>;
}) {
  const described = [props.hint ? `${props.id}-hint` : null, props.error ? `${props.id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <p class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        data-testid={props.id}
        type="text"
        value={props.value}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={described}
        onInput={(e) => props.onInput((e.currentTarget as HTMLInputElement).value)}
        {...props.inputProps}
      />
      {props.hint && (
        <span id={`${props.id}-hint`} class="hint">
          {props.hint}
        </span>
      )}
      {props.error && (
        <span id={`${props.id}-error`} class="field-error" role="alert" data-testid={`${props.id}-error`}>
          {props.error}
        </span>
      )}
    </p>
  );
}

/** A message from the background (e.g. an Error's text) for a field or a form. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message.replace(/^internal: /, '') : String(e);
}
