import { send } from '../../shared/messaging';

export function Toggle(props: { label: string; checked: boolean; onChange: (checked: boolean) => void; testId?: string }) {
  return (
    <label class="toggle">
      <input
        type="checkbox"
        role="switch"
        checked={props.checked}
        data-testid={props.testId}
        onChange={(e) => props.onChange((e.currentTarget as HTMLInputElement).checked)}
      />
      <span>{props.label}</span>
    </label>
  );
}

/** The extension's on/off switch, as the popup and the options page show it. */
export function EnabledToggle(props: { label: string; enabled: boolean; reload: () => Promise<void> }) {
  return (
    <Toggle
      label={props.label}
      checked={props.enabled}
      testId="enabled"
      onChange={async (enabled) => {
        await send('ui/set-enabled', { enabled });
        await props.reload();
      }}
    />
  );
}

/** A labelled group of radio buttons, each with an optional description. */
export function Choices<V extends string>(props: {
  name: string;
  labelledBy: string;
  options: readonly V[];
  value: V;
  label: (v: V) => string;
  description?: (v: V) => string;
  onChange: (v: V) => void;
}) {
  return (
    <div role="radiogroup" aria-labelledby={props.labelledBy}>
      {props.options.map((v) => (
        <label class={props.description ? 'toggle described' : 'toggle'} key={v}>
          <input
            type="radio"
            name={props.name}
            value={v}
            data-testid={`${props.name}-${v}`}
            aria-describedby={props.description ? `${props.name}-${v}-text` : undefined}
            checked={props.value === v}
            onChange={() => props.onChange(v)}
          />
          {props.description ? (
            <span>
              <strong>{props.label(v)}</strong>{' '}
              <span id={`${props.name}-${v}-text`} class="muted">
                {props.description(v)}
              </span>
            </span>
          ) : (
            <span>{props.label(v)}</span>
          )}
        </label>
      ))}
    </div>
  );
}
