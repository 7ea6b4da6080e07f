/** Back to where you were (history), or home when the page was opened here directly. */
import { Icon } from '../shell/Icon.tsx';

export function BackLink() {
  return (
    // biome-ignore lint/a11y/useValidAnchor: #/ is a real route (home) here; the click only prefers history
    <a
      className="back-link"
      href="#/"
      onClick={(event) => {
        if (history.length > 1) {
          event.preventDefault();
          history.back();
        }
      }}
    >
      <Icon name="back" /> Back
    </a>
  );
}
