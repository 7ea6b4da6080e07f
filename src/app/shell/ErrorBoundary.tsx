/** A screen that fails to render shows what happened in words, and the rest of the app (header, switcher) stays. */
import { Component, type ReactNode } from 'react';

interface State {
  readonly error?: Error;
}

export class ErrorBoundary extends Component<{ readonly children: ReactNode; readonly resetKey: string }, State> {
  override state: State = {};

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error): void {
    console.error('murmur: a screen failed to render', error);
  }

  override componentDidUpdate(prev: { readonly resetKey: string }): void {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: undefined });
  }

  override render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <p className="message message-error screen-message" role="alert">
        This screen could not be shown: {this.state.error.message}. <a href="#/">Back to the timeline</a>
      </p>
    );
  }
}
