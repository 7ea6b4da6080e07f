/**
 * Discover (core.discover): the directory of the pseudonym's home hub, the
 * people who chose to be listed, by topic and by words in their handle, name
 * or bio. Each card is a verified listing with its topics (links to that
 * topic's page here) and a follow button. The filter lives in the route
 * (`#/discover?topic=&q=`), so a topic is a link anyone can open; a topic's
 * page shows its listed people's recent posts on it too (TopicPosts). No
 * ranking: the hub pages listings by id, and they are shown in that order.
 */
import { type FormEvent, useEffect, useState } from 'react';
import type { Change, DirectoryCard, PseudonymSummary } from '../../../workers/api/api-types.ts';
import { useCore } from '../core/use-core.ts';
import { describeError } from '../core/error-text.ts';
import { useCoreQuery } from '../core/use-core-query.ts';
import { profileHref, routeHref } from '../nav/route.ts';
import { FollowButton } from '../profile/FollowButton.tsx';
import { TopicPosts } from './TopicPosts.tsx';

export default function DiscoverScreen({
  pseudonym,
  topic,
  q,
}: {
  readonly pseudonym: PseudonymSummary;
  readonly topic: string;
  readonly q: string;
}) {
  const me = pseudonym.id;
  const [topicText, setTopicText] = useState(topic);
  const [words, setWords] = useState(q);
  // Back, forward or a topic link: the fields follow the route.
  useEffect(() => setTopicText(topic), [topic]);
  useEffect(() => setWords(q), [q]);

  function submit(event: FormEvent) {
    event.preventDefault();
    location.hash = routeHref({ name: 'discover', topic: topicText.trim().replace(/^#/, ''), q: words.trim() });
  }

  return (
    <section className="screen" aria-labelledby="discover-title">
      <h1 id="discover-title" className="screen-title">
        {topic ? `Discover #${topic}` : 'Discover'}
      </h1>
      <p className="field-hint">
        People who chose to be listed by their hubs, with the topics they post about. Shown in the order the hub keeps
        them, never ranked.
      </p>
      <form className="discover-form" onSubmit={submit}>
        <label className="field">
          <span className="field-label">Topic</span>
          <input
            className="input"
            value={topicText}
            onChange={(e) => setTopicText(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        </label>
        <label className="field">
          <span className="field-label">Name or words</span>
          <input className="input" value={words} onChange={(e) => setWords(e.target.value)} autoComplete="off" />
        </label>
        <button type="submit" className="button button-primary">
          Find people
        </button>
      </form>
      <DirectoryPages key={`${topic}\n${q}`} me={me} topic={topic} q={q} />
      {topic && <TopicPosts key={topic} me={me} topic={topic} />}
    </section>
  );
}

/** The pages asked so far, each its own query: "More people" asks the next from where the last ended. */
function DirectoryPages({
  me,
  topic,
  q,
}: {
  readonly me: PseudonymSummary['id'];
  readonly topic: string;
  readonly q: string;
}) {
  const [cursors, setCursors] = useState<readonly string[]>(['']);
  return (
    <>
      {cursors.map((cursor, i) => (
        <DirectoryPage
          key={cursor}
          me={me}
          topic={topic}
          q={q}
          cursor={cursor}
          first={i === 0}
          onMore={i === cursors.length - 1 ? (next) => setCursors([...cursors, next]) : undefined}
        />
      ))}
    </>
  );
}

function DirectoryPage({
  me,
  topic,
  q,
  cursor,
  first,
  onMore,
}: {
  readonly me: PseudonymSummary['id'];
  readonly topic: string;
  readonly q: string;
  readonly cursor: string;
  readonly first: boolean;
  readonly onMore: ((next: string) => void) | undefined;
}) {
  const core = useCore();
  const page = useCoreQuery(
    `discover:${me}:${topic}:${q}:${cursor}`,
    async () => {
      const result = await core.discover(me, { ...(topic && { topic }), ...(q && { q }), ...(cursor && { cursor }) });
      if (!result.ok) throw Object.assign(new Error(result.message), { name: result.error });
      return result.value;
    },
    // A follow or unfollow changes the buttons; a block takes someone out.
    (c: Change) => (c.kind === 'timeline' || c.kind === 'private') && c.pseudonym === me,
  );
  const people = page.data?.people ?? [];
  const what = topic ? `under #${topic}` : q ? 'matching these words' : 'in your hub’s directory';
  const status = page.error
    ? ''
    : !page.data
      ? 'Looking…'
      : first && people.length === 0 && !page.data.next
        ? `No one is listed ${what} yet.`
        : first
          ? `${people.length}${page.data.next ? '+' : ''} ${people.length === 1 ? 'person' : 'people'} listed ${what}.`
          : '';
  return (
    <>
      {status && (
        <output className="search-status" aria-live="polite" data-testid="discover-status">
          {status}
        </output>
      )}
      {page.error !== undefined && (
        <p className="message message-error" role="alert">
          Could not read the directory: {describeError('load', page.error)}
        </p>
      )}
      {people.length > 0 && (
        <ul className="directory-list" aria-label={first ? 'People' : 'More people'}>
          {people.map((card) => (
            <li key={card.id}>
              <DirectoryEntry me={me} card={card} />
            </li>
          ))}
        </ul>
      )}
      {page.data?.next && onMore && (
        <button type="button" className="button" onClick={() => onMore(page.data!.next!)}>
          More people
        </button>
      )}
    </>
  );
}

function DirectoryEntry({ me, card }: { readonly me: PseudonymSummary['id']; readonly card: DirectoryCard }) {
  return (
    <article className="card directory-card" aria-label={card.name ?? card.handle} data-testid="directory-card">
      <div className="directory-card-head">
        <a href={profileHref(card.id)} className="directory-name">
          {card.name ?? card.handle}
        </a>
        <span className="directory-handle">{card.handle}</span>
      </div>
      {card.bio && <p className="directory-bio">{card.bio}</p>}
      {card.topics.length > 0 && (
        <ul className="post-tags" aria-label="Topics">
          {card.topics.map((t) => (
            <li key={t} className="tag">
              <a href={routeHref({ name: 'discover', topic: t, q: '' })}>#{t}</a>
            </li>
          ))}
        </ul>
      )}
      <FollowButton viewer={me} profile={card} named />
    </article>
  );
}
