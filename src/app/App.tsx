/** Wiring only: which screen shows, for which pseudonym. */
import { type ReactNode, Suspense, lazy, useEffect, useState } from 'react';
import type { PseudonymId } from '../protocol/ids.ts';
import { useCore } from './core/use-core.ts';
import { ComposeHost } from './compose/ComposeHost.tsx';
import { describeError } from './core/error-text.ts';
import { useCoreQuery } from './core/use-core-query.ts';
import { useStartBackground } from './core/use-start-background.ts';
import { HomeScreen } from './home/HomeScreen.tsx';
import { loadOnboarding } from './identity/load-onboarding.ts';
import { OnboardingLoading } from './identity/OnboardingIntro.tsx';
import { useActivePseudonym } from './identity/use-active-pseudonym.ts';
import { usePseudonyms } from './identity/use-pseudonyms.ts';
import { NavBar } from './nav/NavBar.tsx';
import { useRoute } from './nav/use-route.ts';
import { AppHeader } from './shell/AppHeader.tsx';
import { ErrorBoundary } from './shell/ErrorBoundary.tsx';
import { LateSpinner } from './shell/LateSpinner.tsx';
import { screenKey } from './shell/screen-key.ts';
import { UpdatePrompt } from './shell/UpdatePrompt.tsx';
import { useSlashKey } from './search/use-slash-key.ts';

// Onboarding is a chunk of its own that a first visit starts loading with the page (load-onboarding.ts): loaded
// only once the worker said there is no pseudonym, it cost Lighthouse's mobile run 0.6 s of first paint. The
// lock screen, rarely seen, loads when shown.
const Onboarding = lazy(loadOnboarding);
const UnlockScreen = lazy(() => import('./shell/UnlockScreen.tsx').then((m) => ({ default: m.UnlockScreen })));
const ThreadScreen = lazy(() => import('./thread/ThreadScreen.tsx'));
const ProfileScreen = lazy(() => import('./profile/ProfileScreen.tsx'));
const SettingsScreen = lazy(() => import('./settings/SettingsScreen.tsx'));
const NotificationsScreen = lazy(() => import('./notifications/NotificationsScreen.tsx'));
const MessagesScreen = lazy(() => import('./messages/MessagesScreen.tsx'));
const ConversationScreen = lazy(() => import('./messages/ConversationScreen.tsx'));
const SearchScreen = lazy(() => import('./search/SearchScreen.tsx'));
const DiscoverScreen = lazy(() => import('./discover/DiscoverScreen.tsx'));
const LinkScreen = lazy(() => import('./link/LinkScreen.tsx'));
const MistsScreen = lazy(() => import('./mists/MistsScreen.tsx'));
const MistScreen = lazy(() => import('./mists/MistScreen.tsx'));
const MistLinkScreen = lazy(() => import('./mists/MistLinkScreen.tsx'));
const HivesScreen = lazy(() => import('./hives/HivesScreen.tsx'));
const HiveScreen = lazy(() => import('./hives/HiveScreen.tsx'));
const HivePostScreen = lazy(() => import('./hives/HivePostScreen.tsx'));

export function App() {
  const core = useCore();
  const { data: pseudonyms, error, reload } = usePseudonyms();
  const { active, select } = useActivePseudonym(pseudonyms);
  const lock = useCoreQuery(
    'lock',
    () => core.getLockState(),
    (c) => c.kind === 'lock',
  );
  const route = useRoute();
  // 'first' stays until the first pseudonym is done (created and its claim settled).
  const [onboardingMode, setOnboardingMode] = useState<'closed' | 'first' | 'another'>('closed');
  const none = pseudonyms?.length === 0;

  useEffect(() => {
    if (none) setOnboardingMode('first');
  }, [none]);

  const routeKey = JSON.stringify(route);
  const onboarding = pseudonyms !== undefined && (none || onboardingMode !== 'closed');
  const locked = lock.data === 'locked';
  // A new screen starts at the top of the page (screen-key.ts says what is one).
  const shownScreen = screenKey({ onboarding, locked, route: routeKey, active: active?.id });
  // biome-ignore lint/correctness/useExhaustiveDependencies: shownScreen is the trigger: the effect is the change
  useEffect(() => {
    window.scrollTo({ top: 0 });
  }, [shownScreen]);
  useSlashKey(active !== undefined && !onboarding && !locked);
  // The home timeline starts the core's background work once its first page shows (Timeline.tsx); any other
  // first screen (onboarding, the lock, another route) starts it at once.
  const home = route.name === 'home' || route.name === 'new';
  useStartBackground(pseudonyms !== undefined && (onboarding || locked || !home || active === undefined));
  const adopt = (id: PseudonymId) => {
    reload();
    select(id);
    setOnboardingMode('closed');
  };

  let screen: ReactNode;
  if (route.name === 'link' || route.name === 'mist-link') {
    // A link opens its post or mist with no pseudonym at all (a fresh browser), and before any onboarding.
    screen = (
      <Suspense fallback={<p className="screen-message">Loading…</p>}>
        {route.name === 'link' ? <LinkScreen link={route} /> : <MistLinkScreen link={route} />}
      </Suspense>
    );
  } else if (pseudonyms === undefined) {
    screen =
      error !== undefined ? (
        <p className="message message-error screen-message" role="alert">
          Murmur could not open its storage on this device: {describeError('load', error)}
        </p>
      ) : (
        <p className="screen-message">
          <LateSpinner /> Opening Murmur…
        </p>
      );
  } else if (locked) {
    screen = (
      <Suspense fallback={<p className="screen-message">Loading…</p>}>
        <UnlockScreen />
      </Suspense>
    );
  } else if (onboarding) {
    screen = (
      <Suspense fallback={<OnboardingLoading hasOthers={onboardingMode === 'another'} />}>
        <Onboarding
          hasOthers={onboardingMode === 'another'}
          onDone={(created) => adopt(created.id)}
          onCancel={onboardingMode === 'another' ? () => setOnboardingMode('closed') : undefined}
        />
      </Suspense>
    );
  } else if (active) {
    screen = (
      <ComposeHost key={active.id} pseudonym={active}>
        <ErrorBoundary resetKey={routeKey}>
          <Suspense fallback={<p className="screen-message">Loading…</p>}>
            {(route.name === 'home' || route.name === 'new') && (
              <HomeScreen pseudonym={active} compose={route.name === 'new'} />
            )}
            {route.name === 'thread' && <ThreadScreen pseudonym={active} id={route.id} />}
            {route.name === 'profile' && <ProfileScreen pseudonym={active} id={route.id} />}
            {route.name === 'settings' && <SettingsScreen pseudonym={active} onImported={(p) => adopt(p.id)} />}
            {route.name === 'notifications' && <NotificationsScreen pseudonym={active} />}
            {route.name === 'messages' && <MessagesScreen pseudonym={active} />}
            {route.name === 'conversation' && <ConversationScreen pseudonym={active} peer={route.peer} />}
            {route.name === 'search' && <SearchScreen pseudonym={active} initial={route.q} />}
            {route.name === 'discover' && <DiscoverScreen pseudonym={active} topic={route.topic} q={route.q} />}
            {route.name === 'mists' && <MistsScreen pseudonym={active} scope={route.scope} type={route.type} />}
            {route.name === 'mist' && (
              <MistScreen pseudonym={active} author={route.author} id={route.id} version={route.version} />
            )}
            {route.name === 'hives' && <HivesScreen pseudonym={active} />}
            {route.name === 'hive' && <HiveScreen pseudonym={active} at={route} top={route.top} />}
            {route.name === 'hive-post' && <HivePostScreen pseudonym={active} at={route} post={route.post} />}
          </Suspense>
        </ErrorBoundary>
      </ComposeHost>
    );
  }

  return (
    <>
      {/* The hash is the router's: following #main would be read as a route, so the click moves focus itself. */}
      {/* biome-ignore lint/a11y/useValidAnchor: a real in-page link (#main), kept a link for screen readers */}
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      {/* Locked, the header names no one: whoever unlocks chooses; the lock screen shows no pseudonym or switch. */}
      <AppHeader
        pseudonyms={pseudonyms ?? []}
        active={locked ? undefined : active}
        onboarding={onboarding}
        onSelect={(id) => {
          setOnboardingMode('closed');
          select(id);
        }}
        onNew={() => setOnboardingMode('another')}
        onClaimed={reload}
      />
      {active && !onboarding && !locked && <NavBar route={route} me={active.id} />}
      <main id="main" className="app-main" tabIndex={-1}>
        {screen}
      </main>
      <UpdatePrompt />
    </>
  );
}
