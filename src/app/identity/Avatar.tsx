/** A round mark for a pseudonym: its initial on a colour derived from its key. */
import type { CSSProperties } from 'react';

export interface AvatarProps {
  /** The pseudonym id (hex), which picks the colour. */
  readonly id: string;
  /** Name or handle; its first letter is shown. */
  readonly label: string;
  readonly size?: 'small' | 'medium' | 'large';
}

export function Avatar({ id, label, size = 'medium' }: AvatarProps) {
  const hue = Number.parseInt(id.slice(0, 4) || '0', 16) % 360;
  const initial = [...label.replace(/^@/, '').trim()][0]?.toUpperCase() ?? '?';
  const style = { '--avatar-hue': hue } as CSSProperties;
  return (
    <span className={`avatar avatar-${size}`} style={style} aria-hidden="true">
      {initial}
    </span>
  );
}
