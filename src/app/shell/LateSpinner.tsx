/**
 * The spinner of a first screen's wait ("Opening Murmur…", "Loading the
 * timeline…"), shown only once the wait has lasted LATE_MS: a quick open
 * shows no spinner at all, and the first frame holds no running animation.
 * Lighthouse's headless Chromium showed why the latter matters: with the
 * spinner in the first frame, the frame was drawn ~1.2 s before it was
 * presented (first contentful paint 2.3 s against 0.65 s without it, the same
 * build otherwise), and everything loaded meanwhile counted as blocking it.
 */
import { useEffect, useState } from 'react';

/** Long enough that the worker's first answer usually comes first, short enough to say "busy" within a second. */
const LATE_MS = 600;

export function LateSpinner() {
  const [late, setLate] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setLate(true), LATE_MS);
    return () => clearTimeout(timer);
  }, []);
  return late ? <span className="spinner" aria-hidden="true" /> : null;
}
