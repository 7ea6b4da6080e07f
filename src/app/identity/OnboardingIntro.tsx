/**
 * The top of the onboarding card (logo, title, what a pseudonym is). It is in
 * the first screen's script, so a first visit paints it while the rest of
 * onboarding (Onboarding.tsx, a chunk of its own) is still on its way.
 */
import { useId } from 'react';
import { LogoMark } from '../shell/LogoMark.tsx';

export function OnboardingIntro({ titleId, hasOthers }: { readonly titleId: string; readonly hasOthers: boolean }) {
  return (
    <>
      <LogoMark className="onboarding-logo" />
      <h1 id={titleId}>{hasOthers ? 'New pseudonym' : 'Welcome to Murmur'}</h1>
      <p className="onboarding-lead">
        A pseudonym is a key pair made on this device. Its private key stays here, in this browser; hubs only relay what
        you sign.
      </p>
    </>
  );
}

/** What shows until onboarding's chunk is in: the same card, its top only. */
export function OnboardingLoading({ hasOthers }: { readonly hasOthers: boolean }) {
  const ids = useId();
  return (
    <section className="onboarding" aria-labelledby={`${ids}-title`} aria-busy="true">
      <div className="onboarding-card">
        <OnboardingIntro titleId={`${ids}-title`} hasOthers={hasOthers} />
      </div>
    </section>
  );
}
