/** A hive's name, description and rules, as the make and settings forms both ask them (HIVE_LIMITS bound each). */
import { HIVE_LIMITS } from '../../protocol/hives.ts';

export interface HiveTexts {
  readonly name: string;
  readonly description: string;
  readonly rules: string;
}

export function HiveTextFields({
  texts,
  onChange,
}: {
  readonly texts: HiveTexts;
  readonly onChange: (next: HiveTexts) => void;
}) {
  return (
    <>
      <label className="field">
        <span className="field-label">Name</span>
        <input
          className="input"
          value={texts.name}
          maxLength={HIVE_LIMITS.nameChars}
          required
          onChange={(e) => onChange({ ...texts, name: e.target.value.replace(/[\r\n]/g, ' ') })}
        />
      </label>
      <label className="field">
        <span className="field-label">Description (optional)</span>
        <textarea
          className="input"
          rows={2}
          value={texts.description}
          maxLength={HIVE_LIMITS.descriptionChars}
          onChange={(e) => onChange({ ...texts, description: e.target.value })}
        />
      </label>
      <label className="field">
        <span className="field-label">Rules (optional)</span>
        <textarea
          className="input"
          rows={4}
          value={texts.rules}
          maxLength={HIVE_LIMITS.rulesChars}
          onChange={(e) => onChange({ ...texts, rules: e.target.value })}
        />
      </label>
    </>
  );
}
