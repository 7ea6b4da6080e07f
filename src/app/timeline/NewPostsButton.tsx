/** "N new posts": arrivals wait here while you read further down; one press shows them at the top. */
export function NewPostsButton({ count, onReveal }: { readonly count: number; readonly onReveal: () => void }) {
  return (
    <div className="new-posts" role="status">
      <button type="button" className="button button-primary button-small new-posts-button" onClick={onReveal}>
        {count === 1 ? '1 new post' : `${count} new posts`}
      </button>
    </div>
  );
}
