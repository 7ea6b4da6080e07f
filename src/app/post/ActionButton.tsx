/**
 * An icon button in a post's action row. Its label is its accessible name, with the count when one shows: the
 * visible text must be part of the name (WCAG 2.5.3, axe's label-content-name-mismatch), as a reaction's is.
 */
import { Icon, type IconName } from '../shell/Icon.tsx';

interface ActionButtonProps {
  readonly icon: IconName;
  readonly label: string;
  readonly count?: number | undefined;
  readonly pressed?: boolean;
  readonly onClick: () => void;
}

export function ActionButton({ icon, label, count, pressed, onClick }: ActionButtonProps) {
  const counted = count !== undefined && count > 0;
  const name = counted ? `${label}: ${count}` : label;
  return (
    <button
      type="button"
      className="button button-quiet button-icon"
      aria-label={name}
      title={name}
      aria-pressed={pressed}
      onClick={onClick}
    >
      <Icon name={icon} />
      {counted && (
        <span className="action-count" aria-hidden="true">
          {count}
        </span>
      )}
    </button>
  );
}
