/** Runs a worker action that answers with a Result; returns the failure in words, or undefined. */
import type { Result } from '../../../workers/api/api-types.ts';
import { describeError, describeFailure, type ErrorContext } from '../core/error-text.ts';

export async function runAction<T>(
  call: () => Promise<Result<T>>,
  context: ErrorContext = 'action',
): Promise<{ ok: true; value: T } | { ok: false; text: string }> {
  try {
    const result = await call();
    if (result.ok) return { ok: true, value: result.value };
    return { ok: false, text: describeFailure(context, result.error, result.message) };
  } catch (thrown) {
    return { ok: false, text: describeError(context, thrown) };
  }
}
