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
