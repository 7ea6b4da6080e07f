/** Who a post is for, in words, on every post: public, the people its author named, or anyone with its link. */
import type { TimelineItem } from '../../../workers/api/api-types.ts';

const WORDS: Readonly<Record<NonNullable<TimelineItem['audience']> | 'public', { text: string; title: string }>> = {
  public: { text: 'Public', title: 'Anyone can read this post' },
  followers: { text: 'Followers', title: 'Only the followers its author approved can read this post' },
  allowlist: { text: 'People named', title: 'Only the people its author named can read this post' },
  link: { text: 'Anyone with the link', title: 'Anyone holding this post’s link can read it' },
};

export function AudienceMark({ audience }: { readonly audience: TimelineItem['audience'] }) {
  const words = WORDS[audience ?? 'public'];
  return (
    <span className="post-audience" data-testid="post-audience" title={words.title}>
      <span className="visually-hidden">For: </span>
      {words.text}
    </span>
  );
}
