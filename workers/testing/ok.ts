/**
 * For tests: the value of an API call's Result, or a failure naming its error (api-types.ts Result), so a test
 * reads `ok(await api.post(...))` and a refusal fails it with the error's name and words.
 */
export function ok<T>(result: { ok: true; value: T } | { ok: false; error: string; message: string }): T {
  if (!result.ok) throw new Error(`${result.error}: ${result.message}`);
  return result.value;
}
