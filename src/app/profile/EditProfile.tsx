/** Your own profile fields (name, bio, topics, avatar), signed into your feed with setProfile. */
import { type FormEvent, useId, useState } from 'react';
import type { MediaInput, ProfileView } from '../../../workers/api/api-types.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import { useCore } from '../core/use-core.ts';
import { parseTags } from '../compose/parse-tags.ts';
import { resizeImage } from '../compose/resize-image.ts';
import { OP_LIMITS } from '../../protocol/ops.ts';

/** The protocol's limit on a profile's topics. */
const MAX_TOPICS = OP_LIMITS.topics;
import { runAction } from '../post/run-action.ts';

export function EditProfile({
  viewer,
  profile,
}: {
  readonly viewer: PseudonymId;
  readonly profile: ProfileView | undefined;
}) {
  const core = useCore();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(profile?.name ?? '');
  const [bio, setBio] = useState(profile?.bio ?? '');
  const [topics, setTopics] = useState((profile?.topics ?? []).join(', '));
  const [avatar, setAvatar] = useState<MediaInput>();
  const [note, setNote] = useState<string>();
  const ids = useId();

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setNote('Saving…');
    const result = await runAction(() =>
      core.setProfile(viewer, {
        name: name.trim(),
        bio: bio.trim(),
        topics: parseTags('', topics).slice(0, MAX_TOPICS),
        ...(avatar && { avatar }),
      }),
    );
    setNote(result.ok ? 'Profile saved' : result.text);
    if (!result.ok) return;
    setOpen(false);
    // The published name is the display name this device shows in its switcher too (Settings says the same).
    const trimmed = name.trim();
    if (trimmed !== '' && trimmed !== profile?.name) await runAction(() => core.renamePseudonym(viewer, trimmed));
  }

  return (
    <div className="edit-profile">
      <button
        type="button"
        className="button button-secondary button-small"
        aria-expanded={open}
        aria-controls={`${ids}-form`}
        onClick={() => setOpen((o) => !o)}
      >
        Edit profile
      </button>
      <form id={`${ids}-form`} hidden={!open} onSubmit={save} className="edit-profile-form">
        <div className="field">
          <label className="field-label" htmlFor={`${ids}-name`}>
            Display name
          </label>
          <input
            id={`${ids}-name`}
            className="input"
            value={name}
            maxLength={64}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${ids}-bio`}>
            Bio
          </label>
          <textarea
            id={`${ids}-bio`}
            className="textarea"
            rows={3}
            value={bio}
            maxLength={500}
            onChange={(e) => setBio(e.target.value)}
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${ids}-topics`}>
            Topics
          </label>
          <input
            id={`${ids}-topics`}
            className="input"
            value={topics}
            placeholder="music, rust"
            aria-describedby={`${ids}-topics-hint`}
            onChange={(e) => setTopics(e.target.value)}
          />
          <p id={`${ids}-topics-hint`} className="field-hint">
            Public: up to {MAX_TOPICS} words you post about, shown on your profile.
          </p>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${ids}-avatar`}>
            Avatar image
          </label>
          <input
            id={`${ids}-avatar`}
            type="file"
            accept="image/*"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) resizeImage(file, 512).then(setAvatar, () => setNote('That image could not be read'));
            }}
          />
        </div>
        <button type="submit" className="button button-primary">
          Save profile
        </button>
      </form>
      <p className="field-hint" role="status">
        {note}
      </p>
    </div>
  );
}
