/** An icon button in a post's action row (its label is its accessible name). */
import { Icon, type IconName } from '../shell/Icon.tsx';

interface ActionButtonProps {
  readonly icon: IconName;
  readonly label: string;
  readonly count?: number | undefined;
  readonly pressed?: boolean;
  readonly onClick: () => void;
}

export function ActionButton({ icon, label, count, pressed, onClick }: ActionButtonProps) {
  return (
    <button
      type="button"
      className="button button-quiet button-icon"
      aria-label={label}
      title={label}
      aria-pressed={pressed}
      onClick={onClick}
    >
      <Icon name={icon} />
      {count !== undefined && count > 0 && <span className="action-count">{count}</span>}
    </button>
  );
}
